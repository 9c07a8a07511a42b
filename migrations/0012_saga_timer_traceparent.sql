-- Saga timers carry the W3C trace context of the event that set them (DESIGN §13), so the
-- commands a timer sends continue that trace. Empty for timers set before this migration.
ALTER TABLE saga_timers ADD COLUMN IF NOT EXISTS traceparent text NOT NULL DEFAULT '';
