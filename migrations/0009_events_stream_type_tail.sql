-- The tail of one stream type, in tailing order: a subscriber that wants one stream type
-- (stock_levels wants 'inventory') reads its events through this index instead of looking
-- at every event of the log.
CREATE INDEX IF NOT EXISTS events_stream_type_tail ON events (stream_type, tx_id, global_position);
