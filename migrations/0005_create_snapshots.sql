-- Snapshots (DESIGN §9): the newest known state of a long stream, so a command on it reads
-- the snapshot and the events after it instead of the whole stream. A hint, never the
-- truth: written after the events committed, tagged with the aggregate's state-schema
-- version (another version is ignored), and deleting any or all of them changes no answer.
CREATE TABLE IF NOT EXISTS snapshots (
  stream_id       text        PRIMARY KEY,
  stream_type     text        NOT NULL,
  version         integer     NOT NULL CHECK (version > 0),  -- the last event folded in
  tx_id           xid8        NOT NULL,                      -- and its log position
  global_position bigint      NOT NULL,
  schema_version  integer     NOT NULL,  -- of the state's shape, per stream type
  state           jsonb       NOT NULL,
  taken_at        timestamptz NOT NULL DEFAULT now()
);
