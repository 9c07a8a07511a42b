-- The subscriber runtime's states are enums in the code (CheckpointState, DeadLetterStatus);
-- these CHECKs hold the stored values to the same sets.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'projection_checkpoints_state_check') THEN
    ALTER TABLE projection_checkpoints ADD CONSTRAINT projection_checkpoints_state_check
      CHECK (state IN ('running', 'rebuilding', 'failed'));
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'dead_letters_status_check') THEN
    ALTER TABLE dead_letters ADD CONSTRAINT dead_letters_status_check
      CHECK (status IN ('parked', 'replay_requested', 'replayed', 'discarded'));
  END IF;
END
$$;
