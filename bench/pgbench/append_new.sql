-- The limit for CreateOrder: append the first event of a new stream (one statement).
INSERT INTO events (stream_id, stream_type, version, event_id, event_type, schema_version,
                    payload, metadata)
VALUES ('pgn-' || gen_random_uuid(), 'order', 1, gen_random_uuid(), 'OrderCreated', 1,
        '{"order_id":"4f7c1d2e-5a6b-4c8d-9e0f-1a2b3c4d5e6f","customer_id":"bench","currency":"EUR"}',
        '{"causation_id":"5b1e0c2a-8a4e-4d0e-9a7b-2f1f0c3d4e5f","command":"CreateOrder","correlation_id":"9c2d7e1f-3b4a-4c5d-8e6f-7a8b9c0d1e2f","peer":"ipv4:127.0.0.1:40312","request_id":"5b1e0c2a-8a4e-4d0e-9a7b-2f1f0c3d4e5f"}');
