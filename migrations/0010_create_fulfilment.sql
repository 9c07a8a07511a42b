-- Order fulfilment (DESIGN §11): the saga's timers, the sandbox payment gateway's ledger,
-- and the fulfilments read model.

-- Deadlines and other work a subscriber does later or outside any transaction. Set and
-- cancelled in the transaction that records the subscriber's state; claimed by a poller
-- (FOR UPDATE SKIP LOCKED) whose session is `claimed_by`, fired, then deleted. A claim
-- lapses when that session ends (its process died) or at `claimed_until`.
CREATE TABLE IF NOT EXISTS saga_timers (
  owner          text        NOT NULL,   -- the subscriber, e.g. 'fulfilment'
  instance       text        NOT NULL,   -- e.g. 'fulfilment:<order_id>'
  kind           text        NOT NULL,   -- e.g. 'payment_deadline'
  due_at         timestamptz NOT NULL,
  correlation_id text        NOT NULL,
  causation_id   text        NOT NULL,   -- the event whose handling set it
  attempts       integer     NOT NULL DEFAULT 0,
  claimed_by     integer,               -- the claiming session's backend pid
  claimed_until  timestamptz,
  last_error     text,
  PRIMARY KEY (owner, instance, kind)
);
CREATE INDEX IF NOT EXISTS saga_timers_due ON saga_timers (owner, due_at);

-- What the sandbox payment gateway answered, by idempotency key: a repeated key gets the
-- first answer, across restarts, as a real provider's would. Written by the gateway alone,
-- outside Ordo's transactions.
CREATE TABLE IF NOT EXISTS sandbox_payment_operations (
  idempotency_key text        PRIMARY KEY,
  operation       text        NOT NULL CHECK (operation IN ('authorize', 'capture', 'void')),
  payment_ref     text        NOT NULL,   -- the authorisation's idempotency key
  amount_cents    bigint      NOT NULL,
  answer          text        NOT NULL,   -- 'authorized', 'declined: ...', 'no answer', ...
  recorded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS sandbox_payment_operations_ref
  ON sandbox_payment_operations (payment_ref);

-- The fulfilments read model, kept by the fulfilment projection from the saga's events.
CREATE TABLE IF NOT EXISTS fulfilments (
  order_id        text        PRIMARY KEY,
  state           text        NOT NULL CHECK (state IN
                    ('RESERVING_STOCK', 'AUTHORIZING_PAYMENT', 'SHIPPING', 'COMPLETED',
                     'CANCELLED')),
  reason          text        NOT NULL DEFAULT '',
  detail          text        NOT NULL DEFAULT '',
  payment_status  text        NOT NULL DEFAULT '' CHECK (payment_status IN
                    ('', 'REQUESTED', 'AUTHORIZED', 'DECLINED', 'VOIDED', 'CAPTURED')),
  amount_cents    bigint      NOT NULL,
  currency        text        NOT NULL,
  shipment_status text        NOT NULL DEFAULT '' CHECK (shipment_status IN
                    ('', 'REQUESTED', 'DISPATCHED', 'SHIPPED', 'CANCELLED')),
  tracking_number text        NOT NULL DEFAULT '',
  carrier         text        NOT NULL DEFAULT '',
  version         integer     NOT NULL,   -- the fulfilment stream's last applied version
  started_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS fulfilments_state ON fulfilments (state, order_id);

CREATE TABLE IF NOT EXISTS fulfilment_reservations (
  order_id text    NOT NULL REFERENCES fulfilments (order_id) ON DELETE CASCADE,
  sku      text    NOT NULL,
  quantity bigint  NOT NULL,
  status   text    NOT NULL CHECK (status IN
             ('PENDING', 'RESERVED', 'REJECTED', 'RELEASED', 'COMMITTED')),
  PRIMARY KEY (order_id, sku)
);
