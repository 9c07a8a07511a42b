// The SELECTs behind GetStock and ListStock.
#include "query/read_models/stock_read_model.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status_macros.h"
#include "store/pg/pg_status.h"

namespace ordo::query {
namespace {

#define ORDO_STOCK_COLUMNS \
  "sku, on_hand, reserved, available, version, (extract(epoch FROM updated_at) * 1000000)::bigint"

constexpr char kGetStock[] = "ordo_get_stock";
constexpr char kGetStockSql[] = "SELECT " ORDO_STOCK_COLUMNS " FROM stock_levels WHERE sku = $1";

// Keyset pages in SKU order: $1 is the last SKU of the previous page ('' on the first).
constexpr char kListStock[] = "ordo_list_stock";
constexpr char kListStockSql[] =
    "SELECT " ORDO_STOCK_COLUMNS " FROM stock_levels WHERE sku > $1 ORDER BY sku LIMIT $2";
// With available_below ($3): the index on (available, sku) keeps the SKU order per value,
// so the cursor is the pair.
constexpr char kListLowStock[] = "ordo_list_low_stock";
constexpr char kListLowStockSql[] =
    "SELECT " ORDO_STOCK_COLUMNS
    " FROM stock_levels WHERE available < $3 AND (available, sku) > ($4, $1)"
    " ORDER BY available, sku LIMIT $2";

ordo::v1::Stock StockFromRow(const pqxx::row& row) {
  ordo::v1::Stock stock;
  stock.set_sku(row[0].as<std::string>());
  stock.set_on_hand(row[1].as<int64_t>());
  stock.set_reserved(row[2].as<int64_t>());
  stock.set_available(row[3].as<int64_t>());
  stock.set_version(row[4].as<int32_t>());
  *stock.mutable_updated_at() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(row[5].as<int64_t>());
  return stock;
}

// The filter a page token was made for: "" or the available_below bound.
std::string FilterKey(const ordo::v1::ListStockRequest& request) {
  return request.has_available_below() ? absl::StrCat(request.available_below()) : "";
}

struct Cursor {
  std::string sku;
  int64_t available = std::numeric_limits<int64_t>::min();
};

// "s1|<filter>|<available>|<sku>", base64url.
std::string EncodeToken(const ordo::v1::ListStockRequest& request, const ordo::v1::Stock& last) {
  return absl::WebSafeBase64Escape(
      absl::StrCat("s1|", FilterKey(request), "|", last.available(), "|", last.sku()));
}

absl::StatusOr<Cursor> DecodeToken(const ordo::v1::ListStockRequest& request) {
  Cursor cursor;
  if (request.page_token().empty()) return cursor;
  std::string decoded;
  std::vector<std::string> parts;
  if (absl::WebSafeBase64Unescape(request.page_token(), &decoded)) {
    parts = absl::StrSplit(decoded, absl::MaxSplits('|', 3));
  }
  if (parts.size() != 4 || parts[0] != "s1" || !absl::SimpleAtoi(parts[2], &cursor.available)) {
    return absl::InvalidArgumentError("page_token: malformed; pass next_page_token unchanged");
  }
  if (parts[1] != FilterKey(request)) {
    return absl::InvalidArgumentError(
        "page_token: was made for another filter; repeat available_below unchanged");
  }
  cursor.sku = parts[3];
  return cursor;
}

}  // namespace

absl::StatusOr<ordo::v1::Stock> StockReadModel::GetStock(const std::string& sku,
                                                         absl::Time deadline) {
  ORDO_ASSIGN_OR_RETURN(store::ConnectionPool::Lease connection, pool_.Acquire(deadline));
  return store::GuardPq("get stock", [&]() -> absl::StatusOr<ordo::v1::Stock> {
    connection->prepare(kGetStock, kGetStockSql);
    pqxx::nontransaction tx(*connection);
    pqxx::result rows = tx.exec_prepared(kGetStock, sku);
    if (rows.empty()) return absl::NotFoundError(absl::StrCat("sku ", sku, " not found"));
    return StockFromRow(rows[0]);
  });
}

absl::StatusOr<ordo::v1::ListStockResponse> StockReadModel::ListStock(
    const ordo::v1::ListStockRequest& request, absl::Time deadline) {
  if (request.page_size() < 0) return absl::InvalidArgumentError("page_size: must not be negative");
  const int page_size = request.page_size() == 0 ? kDefaultStockPageSize
                                                 : std::min(request.page_size(), kMaxStockPageSize);
  ORDO_ASSIGN_OR_RETURN(Cursor cursor, DecodeToken(request));
  ORDO_ASSIGN_OR_RETURN(store::ConnectionPool::Lease connection, pool_.Acquire(deadline));
  return store::GuardPq("list stock", [&]() -> absl::StatusOr<ordo::v1::ListStockResponse> {
    pqxx::nontransaction tx(*connection);
    pqxx::result rows;
    if (request.has_available_below()) {
      connection->prepare(kListLowStock, kListLowStockSql);
      rows = tx.exec_prepared(kListLowStock, cursor.sku, page_size + 1, request.available_below(),
                              cursor.available);
    } else {
      connection->prepare(kListStock, kListStockSql);
      rows = tx.exec_prepared(kListStock, cursor.sku, page_size + 1);
    }
    ordo::v1::ListStockResponse response;
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      *response.add_items() = StockFromRow(rows[i]);
    }
    if (static_cast<int>(rows.size()) > page_size) {
      response.set_next_page_token(EncodeToken(request, response.items(page_size - 1)));
    }
    return response;
  });
}

}  // namespace ordo::query
