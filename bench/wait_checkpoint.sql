-- Returns once the checkpoint of subscriber :name (order_summary when not given) is at
-- global position :position, with no rebuild request still waiting for its runner (a
-- requested rebuild has not reset the checkpoint yet). One session polling server-side every 10 ms: a psql started
-- per poll would take the CPU the subscriber is being timed on. Run with
-- psql -v position=N [-v name=S] -f bench/wait_checkpoint.sql.
\if :{?name}
\else
  \set name order_summary
\endif
SET ordo.wait_position = :'position';
SET ordo.wait_name = :'name';
DO $$
BEGIN
  WHILE coalesce((SELECT global_position FROM projection_checkpoints
                   WHERE name = current_setting('ordo.wait_name')
                     AND rebuild_requested_at IS NULL), 0)
        <> current_setting('ordo.wait_position')::bigint LOOP
    PERFORM pg_sleep(0.01);
  END LOOP;
END $$;
