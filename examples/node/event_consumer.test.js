// Checks event_consumer.js against a running Ordo with ordo-relay and RabbitMQ
// (ORDO_AMQP_URL, ORDO_COMMAND_ADDRESS, ORDO_QUERY_ADDRESS); ./dev test runs it against the
// stack it starts.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { consumeEvents } = require('./event_consumer');
const { placeOrder } = require('./order_client');

const AMQP_URL = process.env.ORDO_AMQP_URL || 'amqp://guest:guest@127.0.0.1:5672';
const COMMAND_ADDRESS = process.env.ORDO_COMMAND_ADDRESS || 'localhost:50051';
const QUERY_ADDRESS = process.env.ORDO_QUERY_ADDRESS || 'localhost:50052';
const QUEUE = 'example.node.test';

async function waitFor(condition, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

test('receives a confirmed order, drops its duplicate and dead-letters garbage', async () => {
  const events = [];
  const consumer = await consumeEvents(AMQP_URL, QUEUE, ['order.OrderConfirmed'],
    (event, headers) => events.push({ event, headers }));
  try {
    const order = await placeOrder(COMMAND_ADDRESS, QUERY_ADDRESS, 'customer-node-events');
    const mine = () => events.filter(({ event }) => event.stream_id === order.order_id);
    assert.ok(await waitFor(() => mine().length === 1), 'the OrderConfirmed did not arrive');
    const { event, headers } = mine()[0];
    assert.equal(event.event_type, 'OrderConfirmed');
    assert.equal(event.payload.order_id, order.order_id);
    assert.equal(headers.stream_id, order.order_id);
    assert.equal(Number(headers.version), event.version);

    // The same message again (as after a relay restart): acked, not handled twice.
    consumer.channel.sendToQueue(QUEUE, Buffer.from(JSON.stringify(event)),
      { messageId: event.event_id, persistent: true });
    // Garbage: dead-lettered.
    consumer.channel.sendToQueue(QUEUE, Buffer.from('not json'),
      { messageId: 'garbage-1', persistent: true });
    assert.ok(await waitFor(() => consumer.deadLettered() === 1));
    assert.equal(mine().length, 1);
    let dead = false;
    const deadline = Date.now() + 10_000;
    while (!dead && Date.now() < deadline) {
      dead = await consumer.channel.get(`${QUEUE}.dlq`, { noAck: true });
      if (!dead) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(dead, 'garbage did not reach the dead-letter queue');
    assert.equal(dead.properties.messageId, 'garbage-1');
    assert.equal(dead.properties.headers['x-death'][0].reason, 'rejected');
  } finally {
    await consumer.channel.deleteQueue(QUEUE);
    await consumer.channel.deleteQueue(`${QUEUE}.dlq`);
    await consumer.close();
  }
});
