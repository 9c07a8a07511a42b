#!/usr/bin/python3
"""Checks examples/python/event_consumer.py against a running Ordo with ordo-relay and
RabbitMQ (ORDO_AMQP_URL, ORDO_COMMAND_ADDRESS, ORDO_QUERY_ADDRESS); ./dev test runs it
against the stack it starts."""
import json
import os
import time
import unittest

import pika

import event_consumer
import order_client

AMQP_URL = os.environ.get("ORDO_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672")
COMMAND_ADDRESS = os.environ.get("ORDO_COMMAND_ADDRESS", "localhost:50051")
QUERY_ADDRESS = os.environ.get("ORDO_QUERY_ADDRESS", "localhost:50052")
QUEUE = "example.python.test"


def run_until(consumer, condition, seconds=30):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        consumer.run_for(0.2)
    return condition()


class EventConsumerTest(unittest.TestCase):
    def setUp(self):
        self.events = []
        self.consumer = event_consumer.EventConsumer(
            AMQP_URL, QUEUE, ["order.OrderConfirmed"],
            lambda event, headers: self.events.append((event, headers)))

    def tearDown(self):
        self.consumer.channel.queue_delete(QUEUE)
        self.consumer.channel.queue_delete(QUEUE + ".dlq")
        self.consumer.close()

    def publish_to_queue(self, body, message_id):
        self.consumer.channel.basic_publish(
            "", QUEUE, body, pika.BasicProperties(message_id=message_id, delivery_mode=2))

    def test_receives_a_confirmed_order_drops_its_duplicate_and_dead_letters_garbage(self):
        order = order_client.place_order(COMMAND_ADDRESS, QUERY_ADDRESS, "customer-py-events")
        mine = lambda: [e for e, _ in self.events if e["stream_id"] == order.order_id]
        self.assertTrue(run_until(self.consumer, lambda: len(mine()) == 1),
                        "the OrderConfirmed did not arrive")
        event, headers = [(e, h) for e, h in self.events if e["stream_id"] == order.order_id][0]
        self.assertEqual(event["event_type"], "OrderConfirmed")
        self.assertEqual(event["stream_type"], "order")
        self.assertEqual(event["payload"]["order_id"], order.order_id)
        self.assertEqual(headers["stream_id"], order.order_id)
        self.assertEqual(headers["version"], event["version"])

        # The same message again (as after a relay restart): acked, not handled twice.
        self.publish_to_queue(json.dumps(event), event["event_id"])
        # Garbage: dead-lettered.
        self.publish_to_queue(b"not json", "garbage-1")
        self.assertTrue(run_until(self.consumer, lambda: self.consumer.dead_lettered == 1))
        self.assertEqual(len(mine()), 1)
        deadline = time.monotonic() + 10
        method = None
        while method is None and time.monotonic() < deadline:
            method, properties, body = self.consumer.channel.basic_get(QUEUE + ".dlq",
                                                                       auto_ack=True)
            if method is None:
                time.sleep(0.1)
        self.assertIsNotNone(method, "garbage did not reach the dead-letter queue")
        self.assertEqual(properties.message_id, "garbage-1")
        self.assertEqual(properties.headers["x-death"][0]["reason"], "rejected")
        self.assertEqual(self.consumer.channel.queue_declare(QUEUE, passive=True)
                         .method.message_count, 0)


if __name__ == "__main__":
    unittest.main()
