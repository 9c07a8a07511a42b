// The order_summary and order_lines read models, applied in batches.
#include "query/projectors/order_summary_projection.h"

#include <map>
#include <optional>
#include <pqxx/result>
#include <set>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "events/json_payload.h"
#include "events/order_events.h"
#include "query/read_models/order_status_text.h"
#include "store/pg/pg_status.h"
#include "store/pg/sql_array.h"

namespace ordo::query {
namespace {

using events::kOrderStreamType;
using ordo::v1::OrderEvent;
using store::RecordedEvent;

struct Line {
  int64_t quantity = 0;
  int64_t unit_price_cents = 0;
};

struct SummaryRow {
  std::string customer_id;
  std::string customer_email;
  std::optional<std::string> shipping_address;  // JSON
  std::string status;
  std::string currency;
  std::optional<std::string> tracking_number;
  std::optional<std::string> cancel_reason;
  int32_t version = 0;
  int64_t created_us = 0;
  int64_t updated_us = 0;
  std::map<std::string, Line> lines;
  bool stored = false;                 // a row exists in the tables
  std::set<std::string> touched_skus;  // lines added, changed or removed in this batch
};

using Rows = std::unordered_map<std::string, SummaryRow>;

// The stored rows of some orders in one round trip: kind 's' rows are summaries, kind 'l'
// rows their lines (sku, quantity, unit_price_cents in the first columns).
constexpr char kLoad[] = "ordo_summary_load";
constexpr char kLoadSql[] = R"sql(
SELECT 's', order_id, customer_id, status, currency, tracking_number, cancel_reason,
       version::text, ((extract(epoch FROM created_at) * 1000000)::bigint)::text,
       ((extract(epoch FROM updated_at) * 1000000)::bigint)::text, customer_email,
       shipping_address::text
  FROM order_summary WHERE order_id = ANY($1::text[])
UNION ALL
SELECT 'l', order_id, sku, quantity::text, unit_price_cents::text, NULL, NULL, NULL, NULL, NULL,
       NULL, NULL
  FROM order_lines WHERE order_id = ANY($1::text[])
)sql";

// Everything a batch writes, in one round trip: the summaries ($1..$12, $21, $22; $19
// saying which rows exist already), the lines it removed ($13, $14) and the lines it added or
// changed
// ($15..$18, $20 saying whether their order's row exists already). New orders are plain
// inserts (no conflict check: their first event is in this batch); existing rows are
// updated, and only in the columns that can change, none of them indexed, so the updates
// stay HOT. Only the lines a batch touched are written.
constexpr char kWrite[] = "ordo_summary_write";
constexpr char kWriteSql[] = R"sql(
WITH summary AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::bigint[],
                       $6::bigint[], $7::text[], $8::text[], $9::text[], $10::int[],
                       $11::bigint[], $12::bigint[], $19::bool[], $21::text[], $22::text[])
         AS u(order_id, customer_id, status, line_count, item_count, total_cents, currency,
              tracking_number, cancel_reason, version, created_us, updated_us, stored,
              customer_email, shipping_address)),
created AS (
  INSERT INTO order_summary (order_id, customer_id, status, line_count, item_count,
                             total_cents, currency, tracking_number, cancel_reason, version,
                             customer_email, shipping_address, created_at, updated_at)
  SELECT u.order_id, u.customer_id, u.status, u.line_count, u.item_count, u.total_cents,
         u.currency, u.tracking_number, u.cancel_reason, u.version, u.customer_email,
         u.shipping_address::jsonb,
         'epoch'::timestamptz + u.created_us * interval '1 microsecond',
         'epoch'::timestamptz + u.updated_us * interval '1 microsecond'
    FROM summary u WHERE NOT u.stored
  RETURNING 1),
changed AS (
  UPDATE order_summary s
     SET status = u.status, line_count = u.line_count, item_count = u.item_count,
         total_cents = u.total_cents, tracking_number = u.tracking_number,
         cancel_reason = u.cancel_reason, version = u.version,
         updated_at = 'epoch'::timestamptz + u.updated_us * interval '1 microsecond'
    FROM summary u
   WHERE u.stored AND s.order_id = u.order_id
  RETURNING 1),
removed AS (
  DELETE FROM order_lines l USING unnest($13::text[], $14::text[]) AS d(order_id, sku)
   WHERE l.order_id = d.order_id AND l.sku = d.sku
  RETURNING 1),
line AS (
  SELECT * FROM unnest($15::text[], $16::text[], $17::bigint[], $18::bigint[], $20::bool[])
         AS l(order_id, sku, quantity, unit_price_cents, stored)),
added AS (
  INSERT INTO order_lines (order_id, sku, quantity, unit_price_cents)
  SELECT order_id, sku, quantity, unit_price_cents FROM line WHERE NOT stored
  RETURNING 1),
updated AS (
  INSERT INTO order_lines (order_id, sku, quantity, unit_price_cents)
  SELECT order_id, sku, quantity, unit_price_cents FROM line WHERE stored
  ON CONFLICT (order_id, sku) DO UPDATE
    SET quantity = EXCLUDED.quantity, unit_price_cents = EXCLUDED.unit_price_cents
  RETURNING 1)
SELECT (SELECT count(*) FROM created), (SELECT count(*) FROM changed),
       (SELECT count(*) FROM removed), (SELECT count(*) FROM added),
       (SELECT count(*) FROM updated)
)sql";

// Prepared once per connection (later calls are look-ups): parsed and planned once, not
// for every batch.
void Prepare(pqxx::connection_base& connection) {
  connection.prepare(kLoad, kLoadSql);
  connection.prepare(kWrite, kWriteSql);
}

// Folds one event into `rows`; the row must exist unless it is OrderCreated.
absl::Status ApplyEvent(const RecordedEvent& stored, Rows& rows) {
  ORDO_ASSIGN_OR_RETURN(const OrderEvent event, events::OrderEvents().Decode(stored));
  auto it = rows.find(stored.stream_id);
  if (event.has_order_created()) {
    if (it == rows.end()) it = rows.emplace(stored.stream_id, SummaryRow{}).first;
  } else if (it == rows.end()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "order ", stored.stream_id, " has no summary row before version ", stored.version));
  }
  SummaryRow& row = it->second;
  if (stored.version <= row.version) return absl::OkStatus();  // already applied
  switch (event.event_case()) {
    case OrderEvent::kOrderCreated: {
      const auto& e = event.order_created();
      row.customer_id = e.customer().id();
      row.customer_email = e.customer().email();
      if (e.has_shipping_address()) {
        ORDO_ASSIGN_OR_RETURN(row.shipping_address, events::PrintJsonPayload(e.shipping_address()));
      }
      row.currency = e.currency();
      row.status = OrderStatusText(ordo::v1::ORDER_STATUS_PENDING);
      row.created_us = absl::ToUnixMicros(stored.recorded_at);
      break;
    }
    case OrderEvent::kOrderItemAdded: {
      const auto& e = event.order_item_added();
      Line& line = row.lines[e.sku()];
      line.quantity += e.quantity();
      line.unit_price_cents = e.unit_price_cents();
      row.touched_skus.insert(e.sku());
      break;
    }
    case OrderEvent::kOrderItemRemoved:
      row.lines.erase(event.order_item_removed().sku());
      row.touched_skus.insert(event.order_item_removed().sku());
      break;
    case OrderEvent::kOrderConfirmed:
      row.status = OrderStatusText(ordo::v1::ORDER_STATUS_CONFIRMED);
      break;
    case OrderEvent::kOrderShipped:
      row.status = OrderStatusText(ordo::v1::ORDER_STATUS_SHIPPED);
      row.tracking_number = event.order_shipped().tracking_number();
      break;
    case OrderEvent::kOrderCancelled:
      row.status = OrderStatusText(ordo::v1::ORDER_STATUS_CANCELLED);
      row.cancel_reason = event.order_cancelled().reason();
      break;
    case OrderEvent::EVENT_NOT_SET:
      return absl::DataLossError("no event set");
  }
  row.version = stored.version;
  row.updated_us = absl::ToUnixMicros(stored.recorded_at);
  return absl::OkStatus();
}

// Loads the stored rows of orders whose first event in this batch is not their first.
void LoadRows(pqxx::work& tx, const std::vector<std::string>& order_ids, Rows& rows) {
  if (order_ids.empty()) return;
  const pqxx::result loaded = tx.exec_prepared(kLoad, store::TextArrayLiteral(order_ids));
  for (const pqxx::row& r : loaded) {
    if (r[0].c_str()[0] != 's') continue;
    SummaryRow& row = rows[r[1].as<std::string>()];
    row.customer_id = r[2].as<std::string>();
    row.status = r[3].as<std::string>();
    row.currency = r[4].as<std::string>();
    if (!r[5].is_null()) row.tracking_number = r[5].as<std::string>();
    if (!r[6].is_null()) row.cancel_reason = r[6].as<std::string>();
    row.version = r[7].as<int32_t>();
    row.created_us = r[8].as<int64_t>();
    row.updated_us = r[9].as<int64_t>();
    row.customer_email = r[10].as<std::string>();
    if (!r[11].is_null()) row.shipping_address = r[11].as<std::string>();
    row.stored = true;
  }
  for (const pqxx::row& r : loaded) {
    if (r[0].c_str()[0] != 'l') continue;
    auto it = rows.find(r[1].as<std::string>());
    if (it == rows.end()) continue;
    it->second.lines[r[2].as<std::string>()] = Line{r[3].as<int64_t>(), r[4].as<int64_t>()};
  }
}

void WriteRows(pqxx::work& tx, const Rows& rows) {
  std::vector<std::string> order_ids, customer_ids, customer_emails, statuses, currencies;
  std::vector<std::optional<std::string>> tracking_numbers, cancel_reasons, addresses;
  std::vector<int64_t> line_counts, item_counts, totals, versions, created, updated;
  std::vector<std::string> removed_order_ids, removed_skus, line_order_ids, line_skus;
  std::vector<int64_t> line_quantities, line_prices;
  std::vector<bool> stored, line_stored;
  for (const auto& [order_id, row] : rows) {
    int64_t items = 0;
    int64_t total = 0;
    for (const auto& [sku, line] : row.lines) {
      items += line.quantity;
      total += line.quantity * line.unit_price_cents;
    }
    order_ids.push_back(order_id);
    customer_ids.push_back(row.customer_id);
    customer_emails.push_back(row.customer_email);
    addresses.push_back(row.shipping_address);
    statuses.push_back(row.status);
    currencies.push_back(row.currency);
    tracking_numbers.push_back(row.tracking_number);
    cancel_reasons.push_back(row.cancel_reason);
    line_counts.push_back(static_cast<int64_t>(row.lines.size()));
    item_counts.push_back(items);
    totals.push_back(total);
    versions.push_back(row.version);
    created.push_back(row.created_us);
    updated.push_back(row.updated_us);
    stored.push_back(row.stored);
    for (const std::string& sku : row.touched_skus) {
      auto line = row.lines.find(sku);
      if (line == row.lines.end()) {
        if (!row.stored) continue;
        removed_order_ids.push_back(order_id);
        removed_skus.push_back(sku);
        continue;
      }
      line_order_ids.push_back(order_id);
      line_skus.push_back(sku);
      line_quantities.push_back(line->second.quantity);
      line_prices.push_back(line->second.unit_price_cents);
      line_stored.push_back(row.stored);
    }
  }
  using store::BoolArrayLiteral;
  using store::IntArrayLiteral;
  using store::TextArrayLiteral;
  tx.exec_prepared(
      kWrite, TextArrayLiteral(order_ids), TextArrayLiteral(customer_ids),
      TextArrayLiteral(statuses), IntArrayLiteral(line_counts), IntArrayLiteral(item_counts),
      IntArrayLiteral(totals), TextArrayLiteral(currencies), TextArrayLiteral(tracking_numbers),
      TextArrayLiteral(cancel_reasons), IntArrayLiteral(versions), IntArrayLiteral(created),
      IntArrayLiteral(updated), TextArrayLiteral(removed_order_ids), TextArrayLiteral(removed_skus),
      TextArrayLiteral(line_order_ids), TextArrayLiteral(line_skus),
      IntArrayLiteral(line_quantities), IntArrayLiteral(line_prices), BoolArrayLiteral(stored),
      BoolArrayLiteral(line_stored), TextArrayLiteral(customer_emails),
      TextArrayLiteral(addresses));
}

}  // namespace

store::SubscriberFilter OrderSummaryProjection::filter() const {
  return store::SubscriberFilter{{}, {kOrderStreamType}};
}

store::HandleResult OrderSummaryProjection::Handle(const std::vector<RecordedEvent>& events,
                                                   pqxx::work& tx) {
  // Orders whose first event here is not OrderCreated (version 1) have rows to load.
  std::unordered_map<std::string, int32_t> first_version;
  for (const RecordedEvent& e : events) first_version.emplace(e.stream_id, e.version);
  std::vector<std::string> to_load;
  for (const auto& [order_id, version] : first_version) {
    if (version > 1) to_load.push_back(order_id);
  }
  Rows rows;
  absl::Status loaded = store::GuardPq("load order_summary", [&]() -> absl::Status {
    Prepare(tx.conn());
    LoadRows(tx, to_load, rows);
    return absl::OkStatus();
  });
  if (!loaded.ok()) return store::HandleResult::From(loaded);

  for (size_t i = 0; i < events.size(); ++i) {
    absl::Status applied = ApplyEvent(events[i], rows);
    if (!applied.ok()) return store::HandleResult::FailedAt(i, applied);
  }
  return store::HandleResult::From(store::GuardPq("write order_summary", [&]() -> absl::Status {
    WriteRows(tx, rows);
    return absl::OkStatus();
  }));
}

}  // namespace ordo::query
