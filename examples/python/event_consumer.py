#!/usr/bin/python3
"""Consuming Ordo's events from RabbitMQ with pika (Debian's python3-pika): a durable queue of
your own bound to the events you want on the topic exchange ordo.events, manual acks,
duplicates dropped by message id (ordo-relay delivers at least once), and what cannot be
handled dead-lettered into <queue>.dlq through the exchange ordo.dlx.

    /usr/bin/python3 examples/python/event_consumer.py amqp://guest:guest@127.0.0.1:5672

prints every order event as it happens. Routing keys are <stream_type>.<event_type>
("order.OrderConfirmed"); the body is the JSON envelope (event_id, stream_id, stream_type,
version, event_type, schema_version, token, recorded_at, payload, metadata).
"""
import json
import sys

import pika

EXCHANGE = "ordo.events"
DEAD_LETTER_EXCHANGE = "ordo.dlx"


class Unhandleable(Exception):
    """A message this consumer can never handle: it is dead-lettered, not retried."""


class EventConsumer:
    def __init__(self, url, queue, binding_keys, handle):
        self.connection = pika.BlockingConnection(pika.URLParameters(url))
        self.channel = self.connection.channel()
        self.queue = queue
        self.handle = handle
        # A real consumer records the ids it handled in its database, in the transaction of
        # its effect (as ordo-notify's inbox does); a set shows the idea.
        self.handled_ids = set()
        self.dead_lettered = 0
        ch = self.channel
        ch.exchange_declare(EXCHANGE, exchange_type="topic", durable=True)
        ch.exchange_declare(DEAD_LETTER_EXCHANGE, exchange_type="topic", durable=True)
        ch.queue_declare(queue + ".dlq", durable=True)
        ch.queue_bind(queue + ".dlq", DEAD_LETTER_EXCHANGE, routing_key=queue)
        ch.queue_declare(queue, durable=True, arguments={
            "x-dead-letter-exchange": DEAD_LETTER_EXCHANGE,
            "x-dead-letter-routing-key": queue,
        })
        for key in binding_keys:
            ch.queue_bind(queue, EXCHANGE, routing_key=key)
        ch.basic_qos(prefetch_count=50)
        ch.basic_consume(queue, self._on_message, auto_ack=False)

    def _on_message(self, channel, method, properties, body):
        message_id = properties.message_id
        if message_id in self.handled_ids:  # delivered again: handled already
            channel.basic_ack(method.delivery_tag)
            return
        try:
            event = json.loads(body)
            if not isinstance(event, dict) or "event_type" not in event:
                raise Unhandleable("not an Ordo event")
            self.handle(event, properties.headers or {})
        except (ValueError, Unhandleable):
            channel.basic_nack(method.delivery_tag, requeue=False)  # -> <queue>.dlq
            self.dead_lettered += 1
            return
        self.handled_ids.add(message_id)
        channel.basic_ack(method.delivery_tag)

    def run_for(self, seconds):
        """Handles what arrives for `seconds`."""
        self.connection.process_data_events(time_limit=seconds)

    def close(self):
        self.connection.close()


def main():
    url = sys.argv[1] if len(sys.argv) > 1 else "amqp://guest:guest@127.0.0.1:5672"

    def show(event, headers):
        print(f"{event['stream_type']}.{event['event_type']} {event['stream_id']}"
              f"@{event['version']}: {json.dumps(event['payload'])}", flush=True)

    consumer = EventConsumer(url, "example.python.orders", ["order.#"], show)
    try:
        consumer.channel.start_consuming()
    except KeyboardInterrupt:
        consumer.close()


if __name__ == "__main__":
    main()
