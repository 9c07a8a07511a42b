// Calling Ordo from Node.js: an order's whole life, read back with its consistency token,
// and what an error looks like. Loads the .proto files of this repository at run time.
//
//   cd examples/node && npm ci && node order_client.js localhost:50051 localhost:50052
'use strict';

const path = require('node:path');
const crypto = require('node:crypto');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const PROTO_ROOT = path.join(__dirname, '..', '..', 'proto');
const definition = protoLoader.loadSync(
  ['ordo/v1/command_service.proto', 'ordo/v1/query_service.proto'],
  // longs: String keeps 64-bit numbers exact; enums: String gives "ORDER_STATUS_SHIPPED".
  { includeDirs: [PROTO_ROOT], keepCase: true, longs: String, enums: String, defaults: true },
);
const ordo = grpc.loadPackageDefinition(definition).ordo.v1;

// Promise wrapper for one unary call with a 10 s deadline.
function call(client, method, request) {
  return new Promise((resolve, reject) => {
    const deadline = new Date(Date.now() + 10_000);
    client[method](request, { deadline }, (error, reply) => (error ? reject(error) : resolve(reply)));
  });
}

function clients(commandAddress, queryAddress) {
  const credentials = grpc.credentials.createInsecure();
  return {
    orders: new ordo.OrderCommandService(commandAddress, credentials),
    reads: new ordo.OrderQueryService(queryAddress, credentials),
  };
}

// Creates, fills and confirms an order; resolves to it as the query side sees it (ordo-saga,
// when it runs, fulfils it from there: see the README).
async function placeOrder(commandAddress, queryAddress, customerId = 'customer-node') {
  const { orders, reads } = clients(commandAddress, queryAddress);
  try {
    // A request_id makes each command safe to retry: a repeat returns the first result.
    const requestId = () => crypto.randomUUID();
    const created = await call(orders, 'CreateOrder', {
      request_id: requestId(), customer_id: customerId, currency: 'EUR',
    });
    const orderId = created.order_id; // the server made a UUID
    await call(orders, 'AddItem', {
      request_id: requestId(), order_id: orderId, sku: 'tea-green-100g', quantity: 2, unit_price_cents: 1250,
    });
    const added = await call(orders, 'AddItem', {
      request_id: requestId(), order_id: orderId, sku: 'mug-white', quantity: 1, unit_price_cents: 900,
    });
    // expected_version: fail with ABORTED instead of confirming an order that changed.
    const confirmed = await call(orders, 'ConfirmOrder', {
      request_id: requestId(), order_id: orderId, expected_version: added.version,
    });
    // Read your own write: the query waits until the read model includes it.
    return await call(reads, 'GetOrder', { order_id: orderId, consistency_token: confirmed.consistency_token });
  } finally {
    orders.close();
    reads.close();
  }
}

// Resolves to { code, details } of an AddItem with quantity 0.
async function addInvalidItem(commandAddress, orderId) {
  const orders = new ordo.OrderCommandService(commandAddress, grpc.credentials.createInsecure());
  try {
    await call(orders, 'AddItem', { order_id: orderId, sku: 'tea', quantity: 0, unit_price_cents: 100 });
    return { code: grpc.status.OK, details: '' };
  } catch (error) {
    return { code: error.code, details: error.details };
  } finally {
    orders.close();
  }
}

async function main() {
  const [commandAddress = 'localhost:50051', queryAddress = 'localhost:50052'] = process.argv.slice(2);
  const order = await placeOrder(commandAddress, queryAddress);
  console.log(`order ${order.order_id}: ${order.status}, ${order.item_count} items, ` +
    `${(Number(order.total_cents) / 100).toFixed(2)} ${order.currency}`);
  const { code, details } = await addInvalidItem(commandAddress, order.order_id);
  console.log(`AddItem with quantity 0: ${grpc.status[code]}: ${details}`);
}

module.exports = { placeOrder, addInvalidItem };

if (require.main === module) {
  main().catch((error) => {
    console.error(`failed: ${error.message}`);
    process.exit(1);
  });
}
