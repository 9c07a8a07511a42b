-- Read models of orders, kept current by the order_summary projection and rebuilt from
-- the events table at will. Query them with SQL; ordo-query serves them over gRPC.

CREATE TABLE IF NOT EXISTS order_summary (
  order_id        text        PRIMARY KEY,
  customer_id     text        NOT NULL,
  status          text        NOT NULL,   -- PENDING, CONFIRMED, SHIPPED, CANCELLED
  line_count      integer     NOT NULL,   -- distinct SKUs
  item_count      bigint      NOT NULL,   -- units over all lines
  total_cents     bigint      NOT NULL,   -- sum of quantity * unit_price_cents
  currency        text        NOT NULL,
  tracking_number text,
  cancel_reason   text,
  version         integer     NOT NULL,   -- the order stream's last applied version
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS order_lines (
  order_id         text    NOT NULL,
  sku              text    NOT NULL,
  quantity         bigint  NOT NULL,
  unit_price_cents bigint  NOT NULL,
  PRIMARY KEY (order_id, sku)
);

-- ListOrders: newest first, optionally by customer and/or status (keyset pages).
CREATE INDEX IF NOT EXISTS order_summary_newest
  ON order_summary (created_at DESC, order_id DESC);
CREATE INDEX IF NOT EXISTS order_summary_customer_newest
  ON order_summary (customer_id, created_at DESC, order_id DESC);
CREATE INDEX IF NOT EXISTS order_summary_status_newest
  ON order_summary (status, created_at DESC, order_id DESC);
