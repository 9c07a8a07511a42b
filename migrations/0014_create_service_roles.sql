-- Least privilege (DESIGN §14): one NOLOGIN role per service with exactly the grants its
-- job needs. A deployment's login roles join them (GRANT ordo_command TO my_login_role);
-- the migrations run as the tables' owner, which no service role is. Roles belong to the
-- cluster and are made once (concurrent migrations of two databases may race to make
-- them); grants belong to this database. A migration that adds a table grants it below its
-- CREATE TABLE, to the roles that need it.

-- Made here unless they exist: where the migrating user may not create roles (no
-- CREATEROLE), an administrator makes them first (CREATE ROLE ordo_command NOLOGIN; ...,
-- GRANT pg_monitor TO ordo_query, ...) and this migration only grants.
DO $$
DECLARE
  service text;
BEGIN
  FOREACH service IN ARRAY ARRAY['ordo_command', 'ordo_query', 'ordo_projector', 'ordo_saga',
                                 'ordo_relay', 'ordo_notify'] LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = service) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN', service);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL;  -- made meanwhile by a migration of another database
      END;
    END IF;
  END LOOP;
  -- The subscribers' samplers report the oldest open transaction of the cluster
  -- (ordo_oldest_transaction_age_seconds): other sessions' transactions are visible only to
  -- members of pg_monitor.
  FOREACH service IN ARRAY ARRAY['ordo_query', 'ordo_projector', 'ordo_saga', 'ordo_relay'] LOOP
    IF NOT pg_has_role(service, 'pg_monitor', 'MEMBER') THEN
      BEGIN
        EXECUTE format('GRANT pg_monitor TO %I', service);
      EXCEPTION WHEN unique_violation THEN
        NULL;
      END;
    END IF;
  END LOOP;
END
$$;

-- Nobody but the owner makes tables (PostgreSQL 15's default, kept whatever the cluster's).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- ordo-command: appends events (never changes them), records requests and expires them,
-- and keeps aggregate snapshots.
GRANT SELECT, INSERT ON events TO ordo_command;
GRANT SELECT, INSERT, DELETE ON command_requests TO ordo_command;
GRANT SELECT, INSERT, UPDATE ON snapshots TO ordo_command;

-- ordo-query: reads the log and every read model; its ProjectionService admin calls change
-- only the subscriber runtime's own columns: a rebuild request on the checkpoint, a replay
-- or discard on a dead letter. The runners carry them out.
GRANT SELECT ON events, order_summary, order_lines, stock_levels, fulfilments,
                fulfilment_reservations, customer_notifications, projection_checkpoints,
                dead_letters, saga_timers TO ordo_query;
GRANT UPDATE (rebuild_requested_at) ON projection_checkpoints TO ordo_query;
GRANT UPDATE (status, discard_reason, resolved_at) ON dead_letters TO ordo_query;

-- Every subscriber runner: its checkpoint and dead letters; the sampler reads the timers.
GRANT SELECT ON events, saga_timers TO ordo_projector, ordo_saga, ordo_relay;
GRANT SELECT, INSERT, UPDATE ON projection_checkpoints, dead_letters
  TO ordo_projector, ordo_saga, ordo_relay;

-- ordo-projector: its read models, emptied (TRUNCATE) by a rebuild.
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE
  ON order_summary, order_lines, stock_levels, fulfilments, fulfilment_reservations
  TO ordo_projector;

-- ordo-saga: sends commands as ordo-command does, and keeps its timers and the sandbox
-- payment gateway's ledger.
GRANT INSERT ON events TO ordo_saga;
GRANT SELECT, INSERT ON command_requests TO ordo_saga;
GRANT SELECT, INSERT, UPDATE ON snapshots TO ordo_saga;
GRANT SELECT, INSERT, UPDATE, DELETE ON saga_timers TO ordo_saga;
GRANT SELECT, INSERT ON sandbox_payment_operations TO ordo_saga;

-- ordo-relay: reads the log (above) and publishes it; nothing of its own but its checkpoint.

-- ordo-notify: its inbox of handled message ids, its record of customers, and the
-- notifications it makes.
GRANT SELECT, INSERT ON message_inbox TO ordo_notify;
GRANT SELECT, INSERT ON notify_order_customers, customer_notifications TO ordo_notify;
