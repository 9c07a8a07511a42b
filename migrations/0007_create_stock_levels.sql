-- The stock_levels read model: one row per SKU, kept current by the stock_levels
-- projection from the inventory events and rebuilt from the events table at will.
CREATE TABLE IF NOT EXISTS stock_levels (
  sku        text        PRIMARY KEY,
  on_hand    bigint      NOT NULL,   -- units in the warehouse, reserved ones included
  reserved   bigint      NOT NULL,   -- units held by open reservations
  available  bigint      GENERATED ALWAYS AS (on_hand - reserved) STORED,
  version    integer     NOT NULL,   -- the SKU stream's last applied version
  updated_at timestamptz NOT NULL
);

-- ListStock with available_below: the SKUs running low.
CREATE INDEX IF NOT EXISTS stock_levels_available ON stock_levels (available, sku);
