// Test helpers for the read side: raw Order events and read-model recomputation.
#include "support/order_events.h"

#include <pqxx/connection>
#include <pqxx/nontransaction>

#include "absl/strings/str_cat.h"
#include "absl/strings/substitute.h"

namespace ordo::testing {

std::string CreatedPayload(const std::string& order_id, const std::string& customer_id) {
  return absl::Substitute(R"({"order_id":"$0","customer_id":"$1","currency":"EUR"})", order_id,
                          customer_id);
}

std::string ItemAddedPayload(const std::string& order_id, const std::string& sku, int quantity,
                             int64_t unit_price_cents) {
  return absl::Substitute(R"({"order_id":"$0","sku":"$1","quantity":$2,"unit_price_cents":"$3"})",
                          order_id, sku, quantity, unit_price_cents);
}

std::string ItemRemovedPayload(const std::string& order_id, const std::string& sku) {
  return absl::Substitute(R"({"order_id":"$0","sku":"$1"})", order_id, sku);
}

void InsertOrderEvent(pqxx::work& tx, const std::string& order_id, int version,
                      const std::string& event_type, const std::string& payload,
                      int schema_version) {
  tx.exec_params(
      "INSERT INTO events (stream_id, stream_type, version, event_id, event_type, "
      "schema_version, payload, metadata) VALUES ($1, 'order', $2, gen_random_uuid(), $3, $5, "
      "$4::jsonb, '{}')",
      order_id, version, event_type, payload, schema_version);
}

int64_t CountReadModelMismatches(const std::string& database_url) {
  constexpr char kRecompute[] = R"sql(
WITH created AS (
  SELECT stream_id AS order_id,
         CASE schema_version WHEN 1 THEN payload->>'customer_id'
                             ELSE payload->'customer'->>'id' END AS customer_id,
         payload->>'currency' AS currency
    FROM events WHERE event_type = 'OrderCreated'),
last_remove AS (
  SELECT stream_id, payload->>'sku' AS sku, max(version) AS version
    FROM events WHERE event_type = 'OrderItemRemoved' GROUP BY 1, 2),
lines AS (
  SELECT e.stream_id AS order_id, e.payload->>'sku' AS sku,
         sum((e.payload->>'quantity')::bigint) AS quantity,
         (array_agg((e.payload->>'unit_price_cents')::bigint ORDER BY e.version DESC))[1]
           AS unit_price_cents
    FROM events e
    LEFT JOIN last_remove r ON r.stream_id = e.stream_id AND r.sku = e.payload->>'sku'
   WHERE e.event_type = 'OrderItemAdded' AND e.version > coalesce(r.version, 0)
   GROUP BY 1, 2),
line_totals AS (
  SELECT order_id, count(*) AS line_count, sum(quantity) AS item_count,
         sum(quantity * unit_price_cents) AS total_cents
    FROM lines GROUP BY 1),
versions AS (SELECT stream_id, max(version) AS version FROM events GROUP BY 1),
statuses AS (
  SELECT DISTINCT ON (stream_id) stream_id, event_type FROM events
   WHERE event_type IN ('OrderConfirmed', 'OrderShipped', 'OrderCancelled')
   ORDER BY stream_id, version DESC),
summary AS (
  SELECT c.order_id, c.customer_id, c.currency, v.version,
         coalesce(t.line_count, 0) AS line_count, coalesce(t.item_count, 0) AS item_count,
         coalesce(t.total_cents, 0) AS total_cents,
         CASE s.event_type WHEN 'OrderConfirmed' THEN 'CONFIRMED' WHEN 'OrderShipped'
           THEN 'SHIPPED' WHEN 'OrderCancelled' THEN 'CANCELLED' ELSE 'PENDING' END AS status
    FROM created c
    JOIN versions v ON v.stream_id = c.order_id
    LEFT JOIN line_totals t ON t.order_id = c.order_id
    LEFT JOIN statuses s ON s.stream_id = c.order_id),
stored AS (
  SELECT order_id, customer_id, currency, version, line_count::bigint, item_count,
         total_cents, status FROM order_summary)
SELECT (SELECT count(*) FROM (SELECT * FROM summary EXCEPT SELECT * FROM stored) a)
     + (SELECT count(*) FROM (SELECT * FROM stored EXCEPT SELECT * FROM summary) b)
     + (SELECT count(*) FROM (SELECT * FROM lines EXCEPT
          SELECT order_id, sku, quantity, unit_price_cents FROM order_lines) c)
     + (SELECT count(*) FROM (SELECT order_id, sku, quantity, unit_price_cents FROM order_lines
          EXCEPT SELECT * FROM lines) d)
)sql";
  pqxx::connection connection(database_url);
  pqxx::nontransaction tx(connection);
  return tx.exec1(kRecompute)[0].as<int64_t>();
}

bool ProjectionCaughtUp(const std::string& database_url, const std::string& projection) {
  pqxx::connection connection(database_url);
  pqxx::nontransaction tx(connection);
  return tx
      .exec_params1(
          "SELECT coalesce((SELECT (c.tx_id, c.global_position) = (e.tx_id, e.global_position)"
          "  FROM projection_checkpoints c,"
          "       (SELECT tx_id, global_position FROM events"
          "         ORDER BY tx_id DESC, global_position DESC LIMIT 1) e"
          " WHERE c.name = $1), false)",
          projection)[0]
      .as<bool>();
}

}  // namespace ordo::testing
