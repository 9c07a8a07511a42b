-- Projector runtime: one checkpoint row per projection, and the dead letters of events a
-- projection could not apply (parked by stream, never lost).

CREATE TABLE IF NOT EXISTS projection_checkpoints (
  name            text        PRIMARY KEY,
  -- The last applied event in log order; (0, 0) before the first.
  tx_id           xid8        NOT NULL DEFAULT '0',
  global_position bigint      NOT NULL DEFAULT 0,
  -- 'running', 'rebuilding' (catching up after a reset) or 'failed' (a rebuild hit an
  -- event it cannot apply; see last_error).
  state           text        NOT NULL DEFAULT 'running',
  last_error      text,
  heartbeat_at    timestamptz,             -- the active runner's last successful loop
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS dead_letters (
  id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  projection      text        NOT NULL,
  global_position bigint      NOT NULL,     -- the parked event (events.global_position)
  stream_id       text        NOT NULL,
  version         integer     NOT NULL,
  event_type      text        NOT NULL,
  error           text        NOT NULL,
  attempts        integer     NOT NULL,
  -- 'parked', 'replay_requested', 'replayed', or 'discarded' (with discard_reason).
  status          text        NOT NULL DEFAULT 'parked',
  discard_reason  text,
  parked_at       timestamptz NOT NULL DEFAULT now(),
  resolved_at     timestamptz,
  UNIQUE (projection, global_position)
);

CREATE INDEX IF NOT EXISTS dead_letters_open
  ON dead_letters (projection, stream_id, version)
  WHERE status IN ('parked', 'replay_requested');
