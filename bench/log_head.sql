-- The global position of the last event in log order, (tx_id, global_position): where a
-- subscriber's checkpoint ends once it has handled everything (bench/wait_checkpoint.sql).
-- Run with psql -tAq -f bench/log_head.sql.
SELECT global_position FROM events ORDER BY tx_id DESC, global_position DESC LIMIT 1;
