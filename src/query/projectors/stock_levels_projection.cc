// The stock_levels read model, applied in batches.
#include "query/projectors/stock_levels_projection.h"

#include <pqxx/result>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "events/inventory_events.h"
#include "store/pg/pg_status.h"
#include "store/pg/sql_array.h"

namespace ordo::query {
namespace {

using ordo::v1::InventoryEvent;
using store::RecordedEvent;

struct StockRow {
  std::string sku;
  int64_t on_hand = 0;
  int64_t reserved = 0;
  int32_t version = 0;
  int64_t updated_us = 0;
  bool changed = false;  // by this batch
};

using Rows = std::unordered_map<std::string, StockRow>;  // by stream id

constexpr char kLoad[] = "ordo_stock_load";
constexpr char kLoadSql[] = R"sql(
SELECT sku, on_hand, reserved, version FROM stock_levels WHERE sku = ANY($1::text[])
)sql";

constexpr char kWrite[] = "ordo_stock_write";
constexpr char kWriteSql[] = R"sql(
INSERT INTO stock_levels (sku, on_hand, reserved, version, updated_at)
SELECT sku, on_hand, reserved, version,
       'epoch'::timestamptz + updated_us * interval '1 microsecond'
  FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::int[], $5::bigint[])
       AS u(sku, on_hand, reserved, version, updated_us)
ON CONFLICT (sku) DO UPDATE
  SET on_hand = EXCLUDED.on_hand, reserved = EXCLUDED.reserved, version = EXCLUDED.version,
      updated_at = EXCLUDED.updated_at
)sql";

// The SKU of a stream id made by events::InventoryStreamId.
std::string SkuOfStream(const std::string& stream_id) {
  static const std::string prefix = events::InventoryStreamId("");
  return stream_id.rfind(prefix, 0) == 0 ? stream_id.substr(prefix.size()) : stream_id;
}

// Folds one decoded event into its SKU's row (made when absent).
absl::Status ApplyEvent(const RecordedEvent& stored, Rows& rows) {
  ORDO_ASSIGN_OR_RETURN(const InventoryEvent event, events::InventoryEvents().Decode(stored));
  StockRow& row = rows[stored.stream_id];
  if (stored.version <= row.version) return absl::OkStatus();  // already applied
  if (stored.version != row.version + 1) {
    return absl::FailedPreconditionError(absl::StrCat("sku stream ", stored.stream_id,
                                                      " skips from version ", row.version, " to ",
                                                      stored.version));
  }
  row.sku = SkuOfStream(stored.stream_id);
  switch (event.event_case()) {
    case InventoryEvent::kStockReceived:
      row.on_hand += event.stock_received().quantity();
      break;
    case InventoryEvent::kStockAdjusted:
      row.on_hand += event.stock_adjusted().delta();
      break;
    case InventoryEvent::kStockReserved:
      row.reserved += event.stock_reserved().quantity();
      break;
    case InventoryEvent::kStockReservationRejected:
      break;
    case InventoryEvent::kStockReleased:
      row.reserved -= event.stock_released().quantity();
      break;
    case InventoryEvent::kStockCommitted:
      row.reserved -= event.stock_committed().quantity();
      row.on_hand -= event.stock_committed().quantity();
      break;
    case InventoryEvent::EVENT_NOT_SET:
      return absl::DataLossError("no event set");
  }
  row.version = stored.version;
  row.updated_us = absl::ToUnixMicros(stored.recorded_at);
  row.changed = true;
  return absl::OkStatus();
}

}  // namespace

store::SubscriberFilter StockLevelsProjection::filter() const {
  return store::SubscriberFilter{{}, {events::kInventoryStreamType}};
}

store::HandleResult StockLevelsProjection::Handle(const std::vector<RecordedEvent>& events,
                                                  pqxx::work& tx) {
  // The SKUs of this batch whose stream began before it have rows to load.
  std::unordered_map<std::string, int32_t> first_version;
  for (const RecordedEvent& e : events) first_version.emplace(e.stream_id, e.version);
  std::vector<std::string> to_load;
  for (const auto& [stream_id, version] : first_version) {
    if (version > 1) to_load.push_back(SkuOfStream(stream_id));
  }
  Rows rows;
  absl::Status loaded = store::GuardPq("load stock_levels", [&]() -> absl::Status {
    tx.conn().prepare(kLoad, kLoadSql);
    tx.conn().prepare(kWrite, kWriteSql);
    if (to_load.empty()) return absl::OkStatus();
    for (const pqxx::row& r : tx.exec_prepared(kLoad, store::TextArrayLiteral(to_load))) {
      StockRow& row = rows[events::InventoryStreamId(r[0].as<std::string>())];
      row.sku = r[0].as<std::string>();
      row.on_hand = r[1].as<int64_t>();
      row.reserved = r[2].as<int64_t>();
      row.version = r[3].as<int32_t>();
    }
    return absl::OkStatus();
  });
  if (!loaded.ok()) return store::HandleResult::From(loaded);
  for (size_t i = 0; i < events.size(); ++i) {
    if (absl::Status applied = ApplyEvent(events[i], rows); !applied.ok()) {
      return store::HandleResult::FailedAt(i, applied);
    }
  }
  std::vector<std::string> skus;
  std::vector<int64_t> on_hand, reserved, versions, updated;
  for (const auto& [stream_id, row] : rows) {
    if (!row.changed) continue;
    skus.push_back(row.sku);
    on_hand.push_back(row.on_hand);
    reserved.push_back(row.reserved);
    versions.push_back(row.version);
    updated.push_back(row.updated_us);
  }
  return store::HandleResult::From(store::GuardPq("write stock_levels", [&]() -> absl::Status {
    tx.exec_prepared(kWrite, store::TextArrayLiteral(skus), store::IntArrayLiteral(on_hand),
                     store::IntArrayLiteral(reserved), store::IntArrayLiteral(versions),
                     store::IntArrayLiteral(updated));
    return absl::OkStatus();
  }));
}

}  // namespace ordo::query
