-- Idempotency records (AIP-155): one row per request_id, written in the same transaction
-- as the request's events, holding the outcome a repeated request gets back.

CREATE TABLE IF NOT EXISTS command_requests (
  request_id      text        PRIMARY KEY,
  fingerprint     text        NOT NULL,  -- which request it was (method and fields)
  stream_id       text        NOT NULL,
  version         integer     NOT NULL,  -- the stream's version after the request
  tx_id           xid8        NOT NULL,  -- consistency token of the last event
  global_position bigint      NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now()
);

-- For expiring old records (e.g. DELETE ... WHERE recorded_at < now() - interval '30 days').
CREATE INDEX IF NOT EXISTS command_requests_recorded_at ON command_requests (recorded_at);
