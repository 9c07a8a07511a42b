-- Seeds the catch-up benchmark: :orders orders of 5 events each (OrderCreated and four
-- OrderItemAdded), order by order. Run with psql -v orders=N -f bench/seed_orders.sql.
INSERT INTO events (stream_id, stream_type, version, event_id, event_type, schema_version,
                    payload, metadata)
SELECT 'o-' || o, 'order', v, gen_random_uuid(),
       CASE WHEN v = 1 THEN 'OrderCreated' ELSE 'OrderItemAdded' END, 1,
       CASE WHEN v = 1
            THEN jsonb_build_object('order_id', 'o-' || o, 'customer_id', 'c-' || (o % 1000),
                                    'currency', 'EUR')
            ELSE jsonb_build_object('order_id', 'o-' || o, 'sku', 'sku-' || v, 'quantity', v,
                                    'unit_price_cents', (100 * v)::text) END,
       jsonb_build_object('request_id', gen_random_uuid()::text, 'command', 'AddItem')
  FROM generate_series(1, :orders) o, generate_series(1, 5) v
 ORDER BY o, v;
