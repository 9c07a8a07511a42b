// Test helpers for the read side: appending raw Order events with SQL the way the store
// does (read the stream, then insert the next version), and checking the read models
// against a recomputation straight from the events table.
#ifndef ORDO_TESTS_SUPPORT_ORDER_EVENTS_H_
#define ORDO_TESTS_SUPPORT_ORDER_EVENTS_H_

#include <cstdint>
#include <pqxx/transaction>
#include <string>

namespace ordo::testing {

// Payloads in the stored form (proto3 JSON with .proto field names).
std::string CreatedPayload(const std::string& order_id, const std::string& customer_id);
std::string ItemAddedPayload(const std::string& order_id, const std::string& sku, int quantity,
                             int64_t unit_price_cents);
std::string ItemRemovedPayload(const std::string& order_id, const std::string& sku);

// Inserts one event of stream `order_id` at `version` inside `tx`.
void InsertOrderEvent(pqxx::work& tx, const std::string& order_id, int version,
                      const std::string& event_type, const std::string& payload,
                      int schema_version = 1);

// Rows of order_summary and order_lines that differ from a recomputation from `events`
// (both directions; 0 when the read models are exactly right).
int64_t CountReadModelMismatches(const std::string& database_url);

// True once the projection's checkpoint is at the last event in log order.
bool ProjectionCaughtUp(const std::string& database_url, const std::string& projection);

}  // namespace ordo::testing

#endif  // ORDO_TESTS_SUPPORT_ORDER_EVENTS_H_
