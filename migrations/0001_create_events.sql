-- The event log: the single source of truth. Append-only: a trigger refuses UPDATE,
-- DELETE and TRUNCATE. Safe to apply twice (plain `psql -f` in file order works).

-- Transaction ids order the log for projectors (tail in (tx_id, global_position) order).
-- A dump restored into a new cluster restarts transaction ids below the stored ones;
-- `ordo-projector rebaseline` then replaces ordo_tx_offset() with one that lifts new ids
-- above every stored id. Created only when missing, so re-applying keeps a baseline.
DO $$
BEGIN
  IF to_regprocedure('ordo_tx_offset()') IS NULL THEN
    CREATE FUNCTION ordo_tx_offset() RETURNS bigint
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT 0::bigint';
  END IF;
END
$$;

-- The current transaction's id in log order (assigns an id when it has none yet).
CREATE OR REPLACE FUNCTION ordo_current_tx_id() RETURNS xid8
  LANGUAGE sql VOLATILE
  AS $$ SELECT (pg_current_xact_id()::text::bigint + ordo_tx_offset())::text::xid8 $$;

-- Every transaction with a smaller id in log order has ended: projectors read below it.
CREATE OR REPLACE FUNCTION ordo_visible_tx_floor() RETURNS xid8
  LANGUAGE sql STABLE
  AS $$ SELECT (pg_snapshot_xmin(pg_current_snapshot())::text::bigint
                + ordo_tx_offset())::text::xid8 $$;

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
  tx_id           xid8        NOT NULL DEFAULT ordo_current_tx_id(),
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
