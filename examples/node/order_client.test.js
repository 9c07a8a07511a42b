// Checks order_client.js against a running Ordo (ORDO_COMMAND_ADDRESS, ORDO_QUERY_ADDRESS);
// ./dev test runs it against the stack it starts.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const grpc = require('@grpc/grpc-js');
const { placeOrder, addInvalidItem } = require('./order_client');

const COMMAND_ADDRESS = process.env.ORDO_COMMAND_ADDRESS || 'localhost:50051';
const QUERY_ADDRESS = process.env.ORDO_QUERY_ADDRESS || 'localhost:50052';

test('places an order and reads it back', async () => {
  const order = await placeOrder(COMMAND_ADDRESS, QUERY_ADDRESS, 'customer-node-test');
  assert.equal(order.status, 'ORDER_STATUS_CONFIRMED');
  assert.equal(order.customer_id, 'customer-node-test');
  assert.equal(order.version, 4);
  assert.equal(order.line_count, 2);
  assert.equal(order.item_count, '3');
  assert.equal(order.total_cents, String(2 * 1250 + 900));
  assert.deepEqual(order.lines.map((line) => [line.sku, line.quantity]),
    [['mug-white', '1'], ['tea-green-100g', '2']]);
});

test('an invalid quantity is INVALID_ARGUMENT naming the field', async () => {
  const { code, details } = await addInvalidItem(COMMAND_ADDRESS, 'any-order');
  assert.equal(code, grpc.status.INVALID_ARGUMENT);
  assert.match(details, /^quantity:/);
});
