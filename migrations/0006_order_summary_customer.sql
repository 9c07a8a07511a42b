-- OrderCreated v2 (DESIGN §8): the customer's email and the shipping address, when given.
-- Orders created before v2 have an empty email and no address.
ALTER TABLE order_summary ADD COLUMN IF NOT EXISTS customer_email text NOT NULL DEFAULT '';
ALTER TABLE order_summary ADD COLUMN IF NOT EXISTS shipping_address jsonb;
