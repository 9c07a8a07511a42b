// The SELECTs behind GetOrder and ListOrders, with keyset page tokens.
#include "query/read_models/order_read_model.h"

#include <google/protobuf/util/time_util.h>

#include <pqxx/nontransaction>
#include <pqxx/result>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status_macros.h"
#include "events/json_payload.h"
#include "query/read_models/order_status_text.h"
#include "query/request_checks.h"
#include "store/pg/pg_status.h"

namespace ordo::query {
namespace {

using ordo::v1::Order;
using ordo::v1::OrderStatus;

#define ORDO_ORDER_COLUMNS                                                           \
  "s.order_id, s.customer_id, s.status, s.currency, s.line_count, s.item_count,"     \
  " s.total_cents, coalesce(s.tracking_number, ''), coalesce(s.cancel_reason, ''),"  \
  " s.version, (extract(epoch FROM s.created_at) * 1000000)::bigint,"                \
  " (extract(epoch FROM s.updated_at) * 1000000)::bigint,"                           \
  " (SELECT string_agg(l.sku || ':' || l.quantity || ':' || l.unit_price_cents, ','" \
  "                    ORDER BY l.sku)"                                              \
  "    FROM order_lines l WHERE l.order_id = s.order_id),"                           \
  " s.customer_email, s.shipping_address::text"

constexpr char kGetOrder[] = "ordo_get_order";
constexpr char kGetOrderSql[] =
    "SELECT " ORDO_ORDER_COLUMNS " FROM order_summary s WHERE s.order_id = $1";

// One statement per filter combination, so each uses its index. $1 and $2 are the cursor
// (created_at in microseconds since the epoch, order_id) of the last row of the previous
// page; the first page (-1) starts after (infinity, '').
#define ORDO_LIST_ORDERS(filter)                                                         \
  "SELECT " ORDO_ORDER_COLUMNS " FROM order_summary s WHERE " filter                     \
  " (s.created_at, s.order_id) < (CASE WHEN $1::bigint < 0 THEN 'infinity'::timestamptz" \
  "   ELSE 'epoch'::timestamptz + $1::bigint * interval '1 microsecond' END, $2::text)"  \
  " ORDER BY s.created_at DESC, s.order_id DESC LIMIT $3"

constexpr char kListAll[] = ORDO_LIST_ORDERS("");
constexpr char kListByCustomer[] = ORDO_LIST_ORDERS("s.customer_id = $4 AND");
constexpr char kListByStatus[] = ORDO_LIST_ORDERS("s.status = $4 AND");
constexpr char kListByCustomerAndStatus[] =
    ORDO_LIST_ORDERS("s.customer_id = $4 AND s.status = $5 AND");

Order OrderFromRow(const pqxx::row& row) {
  using google::protobuf::util::TimeUtil;
  Order order;
  order.set_order_id(row[0].as<std::string>());
  order.set_customer_id(row[1].as<std::string>());
  order.set_customer_email(row[13].as<std::string>());
  // Written by the projector from a decoded event, so it parses; a row that does not
  // (edited by hand) leaves the address out rather than failing the read.
  if (!row[14].is_null() &&
      !events::ParseJsonPayload(row[14].as<std::string>(), *order.mutable_shipping_address())
           .ok()) {
    order.clear_shipping_address();
  }
  order.set_status(OrderStatusFromText(row[2].as<std::string>()));
  order.set_currency(row[3].as<std::string>());
  order.set_line_count(row[4].as<int32_t>());
  order.set_item_count(row[5].as<int64_t>());
  order.set_total_cents(row[6].as<int64_t>());
  order.set_tracking_number(row[7].as<std::string>());
  order.set_cancel_reason(row[8].as<std::string>());
  order.set_version(row[9].as<int32_t>());
  *order.mutable_created_at() = TimeUtil::MicrosecondsToTimestamp(row[10].as<int64_t>());
  *order.mutable_updated_at() = TimeUtil::MicrosecondsToTimestamp(row[11].as<int64_t>());
  if (!row[12].is_null()) {
    // "sku:quantity:price,..." — SKUs cannot contain ':' or ','.
    for (absl::string_view item : absl::StrSplit(row[12].as<std::string>(), ',')) {
      std::vector<absl::string_view> parts = absl::StrSplit(item, ':');
      ordo::v1::OrderLine* line = order.add_lines();
      line->set_sku(std::string(parts[0]));
      int64_t value = 0;
      if (parts.size() == 3 && absl::SimpleAtoi(parts[1], &value)) line->set_quantity(value);
      if (parts.size() == 3 && absl::SimpleAtoi(parts[2], &value))
        line->set_unit_price_cents(value);
    }
  }
  return order;
}

// Page tokens: "o1|<created_at micros>|<order_id>|<filters>", base64url. The filters are
// repeated so a token cannot be used with other ones.
std::string Filters(const ordo::v1::ListOrdersRequest& request) {
  return absl::StrCat(request.customer_id(), "\x1f", OrderStatusText(request.status()));
}

std::string EncodePageToken(const Order& last, const ordo::v1::ListOrdersRequest& request) {
  const int64_t created_us =
      google::protobuf::util::TimeUtil::TimestampToMicroseconds(last.created_at());
  return absl::WebSafeBase64Escape(
      absl::StrCat("o1|", created_us, "|", last.order_id(), "|", Filters(request)));
}

struct Cursor {
  int64_t created_us = -1;  // -1: the first page
  std::string order_id;
};

absl::StatusOr<Cursor> DecodePageToken(const ordo::v1::ListOrdersRequest& request) {
  if (request.page_token().empty()) return Cursor{};
  std::string decoded;
  const absl::Status invalid = absl::InvalidArgumentError(
      "page_token: malformed; pass next_page_token from the previous page unchanged");
  if (!absl::WebSafeBase64Unescape(request.page_token(), &decoded)) return invalid;
  std::vector<std::string> parts = absl::StrSplit(decoded, absl::MaxSplits('|', 3));
  int64_t created_us = 0;
  if (parts.size() != 4 || parts[0] != "o1" || !absl::SimpleAtoi(parts[1], &created_us) ||
      created_us < 0) {
    return invalid;
  }
  if (parts[3] != Filters(request)) {
    return absl::InvalidArgumentError(
        "page_token: was made for other filters; repeat customer_id and status unchanged");
  }
  return Cursor{created_us, parts[2]};
}

}  // namespace

absl::StatusOr<Order> OrderReadModel::GetOrder(const std::string& order_id, absl::Time deadline) {
  ORDO_ASSIGN_OR_RETURN(store::ConnectionPool::Lease connection, pool_.Acquire(deadline));
  return store::GuardPq("get order", [&]() -> absl::StatusOr<Order> {
    connection->prepare(kGetOrder, kGetOrderSql);
    pqxx::nontransaction tx(*connection);
    pqxx::result rows = tx.exec_prepared(kGetOrder, order_id);
    if (rows.empty()) return absl::NotFoundError(absl::StrCat("order ", order_id, " not found"));
    return OrderFromRow(rows[0]);
  });
}

absl::StatusOr<ordo::v1::ListOrdersResponse> OrderReadModel::ListOrders(
    const ordo::v1::ListOrdersRequest& request, absl::Time deadline) {
  ORDO_RETURN_IF_ERROR(CheckFilter("customer_id", request.customer_id()));
  ORDO_RETURN_IF_ERROR(CheckEnum("status", request.status(), ordo::v1::OrderStatus_IsValid));
  if (request.page_size() < 0) {
    return absl::InvalidArgumentError("page_size: must not be negative");
  }
  const int page_size = request.page_size() == 0 ? kDefaultOrderPageSize
                                                 : std::min(request.page_size(), kMaxOrderPageSize);
  ORDO_ASSIGN_OR_RETURN(Cursor cursor, DecodePageToken(request));
  const bool by_customer = !request.customer_id().empty();
  const bool by_status = request.status() != ordo::v1::ORDER_STATUS_UNSPECIFIED;
  const char* name = by_customer ? (by_status ? "ordo_list_cs" : "ordo_list_c")
                                 : (by_status ? "ordo_list_s" : "ordo_list");
  const char* sql = by_customer ? (by_status ? kListByCustomerAndStatus : kListByCustomer)
                                : (by_status ? kListByStatus : kListAll);
  ORDO_ASSIGN_OR_RETURN(store::ConnectionPool::Lease connection, pool_.Acquire(deadline));
  return store::GuardPq("list orders", [&]() -> absl::StatusOr<ordo::v1::ListOrdersResponse> {
    connection->prepare(name, sql);
    pqxx::nontransaction tx(*connection);
    // One extra row tells whether another page follows.
    const int limit = page_size + 1;
    pqxx::result rows =
        by_customer && by_status
            ? tx.exec_prepared(name, cursor.created_us, cursor.order_id, limit,
                               request.customer_id(), OrderStatusText(request.status()))
        : by_customer ? tx.exec_prepared(name, cursor.created_us, cursor.order_id, limit,
                                         request.customer_id())
        : by_status   ? tx.exec_prepared(name, cursor.created_us, cursor.order_id, limit,
                                         OrderStatusText(request.status()))
                      : tx.exec_prepared(name, cursor.created_us, cursor.order_id, limit);
    ordo::v1::ListOrdersResponse response;
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      *response.add_orders() = OrderFromRow(rows[i]);
    }
    if (static_cast<int>(rows.size()) > page_size) {
      response.set_next_page_token(
          EncodePageToken(response.orders(response.orders_size() - 1), request));
    }
    return response;
  });
}

}  // namespace ordo::query
