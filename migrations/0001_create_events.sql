-- The event log: the single source of truth (DESIGN §3). Append-only: a trigger refuses
-- UPDATE, DELETE and TRUNCATE. Safe to apply twice (plain `psql -f` in file order works).

CREATE TABLE IF NOT EXISTS events (
  global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  stream_id       text        NOT NULL,   -- aggregate id, e.g. the order id
  stream_type     text        NOT NULL,   -- 'order', later 'inventory'
  version         integer     NOT NULL,   -- 1, 2, 3 ... within the stream
  event_id        uuid        NOT NULL UNIQUE,
  event_type      text        NOT NULL,   -- e.g. 'OrderItemAdded'
  schema_version  integer     NOT NULL,   -- per event type; upcasters lift old ones
  payload         jsonb       NOT NULL,   -- proto3 JSON of the event message
  metadata        jsonb       NOT NULL,   -- request_id, correlation_id, causation_id, peer
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  tx_id           xid8        NOT NULL DEFAULT pg_current_xact_id(),
  UNIQUE (stream_id, version),
  CHECK (version >= 1)
);

-- Tailing order for projectors: (tx_id, global_position), see DESIGN §4.
CREATE INDEX IF NOT EXISTS events_tail ON events (tx_id, global_position);

CREATE OR REPLACE FUNCTION ordo_refuse_event_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events are immutable: % on events is not allowed', TG_OP
    USING HINT = 'append a compensating event instead';
END;
$$;

CREATE OR REPLACE TRIGGER events_immutable
  BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION ordo_refuse_event_change();

CREATE OR REPLACE TRIGGER events_no_truncate
  BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION ordo_refuse_event_change();
