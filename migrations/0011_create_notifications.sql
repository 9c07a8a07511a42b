-- ordo-notify (DESIGN §12): customer notifications made from order events consumed from
-- RabbitMQ. message_inbox holds the message ids a consumer has handled, written in the same
-- transaction as the effect, so a redelivered message is recognised and ignored.
-- notify_order_customers is the consumer's own record of who placed each order (from
-- OrderCreated): the later order events do not carry the customer.
CREATE TABLE IF NOT EXISTS message_inbox (
  consumer    text NOT NULL,
  message_id  text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, message_id)
);

CREATE TABLE IF NOT EXISTS notify_order_customers (
  order_id    text PRIMARY KEY,
  customer_id text NOT NULL
);

CREATE TABLE IF NOT EXISTS customer_notifications (
  notification_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id     text NOT NULL,
  order_id        text NOT NULL,
  kind            text NOT NULL
                  CHECK (kind IN ('ORDER_CONFIRMED', 'ORDER_SHIPPED', 'ORDER_CANCELLED')),
  text            text NOT NULL,
  event_id        uuid NOT NULL UNIQUE,
  created_at      timestamptz NOT NULL DEFAULT now()
);

-- ListNotifications: one customer's, newest first, in keyset pages.
CREATE INDEX IF NOT EXISTS customer_notifications_by_customer
  ON customer_notifications (customer_id, notification_id DESC);
