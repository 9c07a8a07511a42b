-- The limit for an Ordo command on an existing order: read the stream, append the next
-- event, with the same table, indexes, trigger and JSON sizes (pgbench -M prepared).
\set n random(1, 500)
BEGIN;
SELECT version, event_type, payload FROM events
 WHERE stream_id = 'pgb-' || :client_id || '-' || :n ORDER BY version;
INSERT INTO events (stream_id, stream_type, version, event_id, event_type, schema_version,
                    payload, metadata)
SELECT 'pgb-' || :client_id || '-' || :n, 'order', max(version) + 1, gen_random_uuid(),
       'OrderItemAdded', 1,
       '{"order_id":"bench-1795767391372-0-417","sku":"sku-3","quantity":1,"unit_price_cents":"1000"}',
       '{"causation_id":"5b1e0c2a-8a4e-4d0e-9a7b-2f1f0c3d4e5f","command":"AddItem","correlation_id":"9c2d7e1f-3b4a-4c5d-8e6f-7a8b9c0d1e2f","peer":"ipv4:127.0.0.1:40312","request_id":"5b1e0c2a-8a4e-4d0e-9a7b-2f1f0c3d4e5f"}'
  FROM events WHERE stream_id = 'pgb-' || :client_id || '-' || :n;
END;
