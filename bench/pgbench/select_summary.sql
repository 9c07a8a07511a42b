-- The limit for GetOrder: one order_summary row by key, and its lines (what GetOrder reads).
\set n random(1, 200000)
SELECT s.*, (SELECT string_agg(l.sku || ':' || l.quantity || ':' || l.unit_price_cents, ','
                               ORDER BY l.sku)
               FROM order_lines l WHERE l.order_id = s.order_id)
  FROM order_summary s WHERE s.order_id = 'o-' || :n;
