// Consuming Ordo's events from RabbitMQ with amqplib: a durable queue of your own bound to
// the events you want on the topic exchange ordo.events, manual acks, duplicates dropped by
// message id (ordo-relay delivers at least once), and what cannot be handled dead-lettered
// into <queue>.dlq through the exchange ordo.dlx.
//
//   cd examples/node && npm ci && node event_consumer.js amqp://guest:guest@127.0.0.1:5672
//
// prints every order event as it happens. Routing keys are <stream_type>.<event_type>
// ("order.OrderConfirmed"); the body is the JSON envelope (event_id, stream_id, stream_type,
// version, event_type, schema_version, token, recorded_at, payload, metadata).
'use strict';

const amqp = require('amqplib');

const EXCHANGE = 'ordo.events';
const DEAD_LETTER_EXCHANGE = 'ordo.dlx';

// Declares `queue` (bound with `bindingKeys`, dead-lettering into `${queue}.dlq`) and calls
// `handle(event, headers)` for each event; a throw dead-letters the message. Resolves to
// { connection, channel, handledIds, deadLettered(), close() }.
async function consumeEvents(url, queue, bindingKeys, handle) {
  const connection = await amqp.connect(url);
  const channel = await connection.createChannel();
  await channel.assertExchange(EXCHANGE, 'topic', { durable: true });
  await channel.assertExchange(DEAD_LETTER_EXCHANGE, 'topic', { durable: true });
  await channel.assertQueue(`${queue}.dlq`, { durable: true });
  await channel.bindQueue(`${queue}.dlq`, DEAD_LETTER_EXCHANGE, queue);
  await channel.assertQueue(queue, {
    durable: true,
    deadLetterExchange: DEAD_LETTER_EXCHANGE,
    deadLetterRoutingKey: queue,
  });
  for (const key of bindingKeys) await channel.bindQueue(queue, EXCHANGE, key);
  await channel.prefetch(50);
  // A real consumer records the ids it handled in its database, in the transaction of its
  // effect (as ordo-notify's inbox does); a set shows the idea.
  const handledIds = new Set();
  let deadLettered = 0;
  await channel.consume(queue, (message) => {
    if (message === null) return; // the broker cancelled the consumer (the queue was deleted)
    const id = message.properties.messageId;
    if (handledIds.has(id)) { // delivered again: handled already
      channel.ack(message);
      return;
    }
    try {
      const event = JSON.parse(message.content.toString('utf8'));
      if (typeof event !== 'object' || event === null || !event.event_type) {
        throw new Error('not an Ordo event');
      }
      handle(event, message.properties.headers || {});
    } catch (error) {
      channel.nack(message, false, false); // -> `${queue}.dlq`
      deadLettered += 1;
      return;
    }
    handledIds.add(id);
    channel.ack(message);
  }, { noAck: false });
  return {
    connection,
    channel,
    handledIds,
    deadLettered: () => deadLettered,
    close: () => connection.close(),
  };
}

module.exports = { consumeEvents };

if (require.main === module) {
  const url = process.argv[2] || 'amqp://guest:guest@127.0.0.1:5672';
  consumeEvents(url, 'example.node.orders', ['order.#'], (event) => {
    console.log(`${event.stream_type}.${event.event_type} ${event.stream_id}@${event.version}: `
      + JSON.stringify(event.payload));
  }).catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
