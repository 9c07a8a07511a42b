-- Returns once the checkpoint of subscriber :name (order_summary when not given) is at or
-- past the event at global position :position in log order, (tx_id, global_position), with
-- no rebuild request still waiting for its runner (a requested rebuild has not reset the
-- checkpoint yet). "At or past" because the highest global position need not be the last
-- event in log order: a transaction can take its position after a later one took its
-- tx_id, and the checkpoint then ends on another event. One session polling server-side
-- every 10 ms: a psql started per poll would take the CPU the subscriber is being timed on.
-- An error (a statement_timeout, say) ends psql with a failure. Run with
-- psql -v position=N [-v name=S] -f bench/wait_checkpoint.sql, N from bench/log_head.sql.
\set ON_ERROR_STOP on
\if :{?name}
\else
  \set name order_summary
\endif
SET ordo.wait_position = :'position';
SET ordo.wait_name = :'name';
DO $$
BEGIN
  WHILE NOT EXISTS (
      SELECT 1 FROM projection_checkpoints c, events e
       WHERE c.name = current_setting('ordo.wait_name') AND c.rebuild_requested_at IS NULL
         AND e.global_position = current_setting('ordo.wait_position')::bigint
         AND (c.tx_id, c.global_position) >= (e.tx_id, e.global_position)) LOOP
    PERFORM pg_sleep(0.01);
  END LOOP;
END $$;
