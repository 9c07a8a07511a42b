#!/usr/bin/python3
"""Calling Ordo from Python: an order's whole life, read back with its consistency token,
and what an error looks like.

Stubs: `./dev build` generates them into build/python with the system protoc and
grpc_python_plugin. Run with Debian's Python (which has python3-grpcio):

    PYTHONPATH=build/python /usr/bin/python3 examples/python/order_client.py \
        localhost:50051 localhost:50052
"""
import sys
import uuid

import grpc

from ordo.v1 import command_service_pb2 as commands
from ordo.v1 import command_service_pb2_grpc as commands_grpc
from ordo.v1 import query_service_pb2 as queries
from ordo.v1 import query_service_pb2_grpc as queries_grpc

TIMEOUT_SECONDS = 10


def place_order(command_address, query_address, customer_id="customer-py"):
    """Creates, fills and confirms an order; returns it as the query side sees it (ordo-saga,
    when it runs, fulfils it from there: see the README)."""
    with grpc.insecure_channel(command_address) as command_channel, \
            grpc.insecure_channel(query_address) as query_channel:
        orders = commands_grpc.OrderCommandServiceStub(command_channel)
        reads = queries_grpc.OrderQueryServiceStub(query_channel)

        # A request_id makes each command safe to retry: a repeat returns the first result.
        def request_id():
            return str(uuid.uuid4())

        created = orders.CreateOrder(
            commands.CreateOrderRequest(request_id=request_id(), customer_id=customer_id,
                                        currency="EUR"),
            timeout=TIMEOUT_SECONDS)
        order_id = created.order_id  # the server made a UUID
        orders.AddItem(commands.AddItemRequest(request_id=request_id(), order_id=order_id,
                                               sku="tea-green-100g", quantity=2,
                                               unit_price_cents=1250),
                       timeout=TIMEOUT_SECONDS)
        added = orders.AddItem(commands.AddItemRequest(request_id=request_id(), order_id=order_id,
                                                       sku="mug-white", quantity=1,
                                                       unit_price_cents=900),
                               timeout=TIMEOUT_SECONDS)
        # expected_version: fail with ABORTED instead of confirming an order that changed.
        confirmed = orders.ConfirmOrder(commands.ConfirmOrderRequest(request_id=request_id(),
                                                                     order_id=order_id,
                                                                     expected_version=added.version),
                                        timeout=TIMEOUT_SECONDS)

        # Read your own write: the query waits until the read model includes it.
        return reads.GetOrder(queries.GetOrderRequest(order_id=order_id,
                                                      consistency_token=confirmed.consistency_token),
                              timeout=TIMEOUT_SECONDS)


def add_invalid_item(command_address, order_id):
    """Returns the (status code, message) of an AddItem with quantity 0."""
    with grpc.insecure_channel(command_address) as channel:
        orders = commands_grpc.OrderCommandServiceStub(channel)
        try:
            orders.AddItem(commands.AddItemRequest(order_id=order_id, sku="tea", quantity=0,
                                                   unit_price_cents=100),
                           timeout=TIMEOUT_SECONDS)
        except grpc.RpcError as error:
            return error.code(), error.details()
    return grpc.StatusCode.OK, ""


def main():
    command_address = sys.argv[1] if len(sys.argv) > 1 else "localhost:50051"
    query_address = sys.argv[2] if len(sys.argv) > 2 else "localhost:50052"
    order = place_order(command_address, query_address)
    print(f"order {order.order_id}: {queries.OrderStatus.Name(order.status)}, "
          f"{order.item_count} items, {order.total_cents / 100:.2f} {order.currency}")
    code, message = add_invalid_item(command_address, order.order_id)
    print(f"AddItem with quantity 0: {code.name}: {message}")


if __name__ == "__main__":
    main()
