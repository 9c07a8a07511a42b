#!/usr/bin/python3
"""Checks examples/python/order_client.py against a running Ordo (ORDO_COMMAND_ADDRESS,
ORDO_QUERY_ADDRESS); ./dev test runs it against the stack it starts."""
import os
import unittest

import grpc

import order_client
from ordo.v1 import query_service_pb2 as queries

COMMAND_ADDRESS = os.environ.get("ORDO_COMMAND_ADDRESS", "localhost:50051")
QUERY_ADDRESS = os.environ.get("ORDO_QUERY_ADDRESS", "localhost:50052")


class OrderClientTest(unittest.TestCase):
    def test_places_an_order_and_reads_it_back(self):
        order = order_client.place_order(COMMAND_ADDRESS, QUERY_ADDRESS, "customer-py-test")
        self.assertEqual(order.status, queries.ORDER_STATUS_CONFIRMED)
        self.assertEqual(order.customer_id, "customer-py-test")
        self.assertEqual(order.version, 4)
        self.assertEqual(order.line_count, 2)
        self.assertEqual(order.item_count, 3)
        self.assertEqual(order.total_cents, 2 * 1250 + 900)
        self.assertEqual([(line.sku, line.quantity) for line in order.lines],
                         [("mug-white", 1), ("tea-green-100g", 2)])

    def test_invalid_quantity_is_invalid_argument_naming_the_field(self):
        code, message = order_client.add_invalid_item(COMMAND_ADDRESS, "any-order")
        self.assertEqual(code, grpc.StatusCode.INVALID_ARGUMENT)
        self.assertTrue(message.startswith("quantity:"), message)


if __name__ == "__main__":
    unittest.main()
