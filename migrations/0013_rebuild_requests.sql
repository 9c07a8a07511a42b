-- A rebuild is a request recorded on the checkpoint (DESIGN §14): whoever asks for it (the
-- ProjectionService, `ordo-projector rebuild`) sets rebuild_requested_at, and the
-- projection's own runner empties its tables, resets the checkpoint and clears the request
-- in one transaction. So the query service's role never writes a read model.
ALTER TABLE projection_checkpoints ADD COLUMN IF NOT EXISTS rebuild_requested_at timestamptz;
