-- Returns once the order_summary checkpoint is at global position :position. One session
-- polling server-side every 10 ms: a psql started per poll would take the CPU the projector
-- is being timed on. Run with psql -v position=N -f bench/wait_checkpoint.sql.
SET ordo.wait_position = :'position';
DO $$
BEGIN
  WHILE coalesce((SELECT global_position FROM projection_checkpoints
                   WHERE name = 'order_summary'), 0)
        <> current_setting('ordo.wait_position')::bigint LOOP
    PERFORM pg_sleep(0.01);
  END LOOP;
END $$;
