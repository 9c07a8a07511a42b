// The SELECTs behind GetFulfilment and ListFulfilments.
#include "query/read_models/fulfilment_read_model.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/status_macros.h"
#include "query/request_checks.h"
#include "store/pg/pg_status.h"

namespace ordo::query {
namespace {

// One row per fulfilment, its reservations folded in (in SKU order) as parallel arrays.
#define ORDO_FULFILMENT_SELECT                                                               \
  "SELECT f.order_id, f.state, f.reason, f.detail, f.payment_status, f.amount_cents,"        \
  " f.currency, f.shipment_status, f.tracking_number, f.carrier, f.version,"                 \
  " (extract(epoch FROM f.started_at) * 1000000)::bigint,"                                   \
  " (extract(epoch FROM f.updated_at) * 1000000)::bigint,"                                   \
  " coalesce((SELECT string_agg(r.sku || ' ' || r.quantity || ' ' || r.status, ',' ORDER BY" \
  " r.sku) FROM fulfilment_reservations r WHERE r.order_id = f.order_id), '')"               \
  " FROM fulfilments f"

constexpr char kGet[] = "ordo_get_fulfilment";
constexpr char kGetSql[] = ORDO_FULFILMENT_SELECT " WHERE f.order_id = $1";

// Keyset pages in order-id order; $3 '' is every state.
constexpr char kList[] = "ordo_list_fulfilments";
constexpr char kListSql[] = ORDO_FULFILMENT_SELECT
    " WHERE f.order_id > $1 AND ($3 = '' OR f.state = $3) ORDER BY f.order_id LIMIT $2";

template <typename Enum>
Enum EnumValue(const google::protobuf::EnumDescriptor* descriptor, const char* prefix,
               const std::string& name, Enum fallback) {
  const auto* value = descriptor->FindValueByName(absl::StrCat(prefix, name));
  return value == nullptr ? fallback : static_cast<Enum>(value->number());
}

ordo::v1::Fulfilment FromRow(const pqxx::row& row) {
  using namespace ordo::v1;
  Fulfilment f;
  f.set_order_id(row[0].as<std::string>());
  f.set_state(EnumValue(FulfilmentState_descriptor(), "FULFILMENT_STATE_", row[1].as<std::string>(),
                        FULFILMENT_STATE_UNSPECIFIED));
  f.set_reason(row[2].as<std::string>());
  f.set_detail(row[3].as<std::string>());
  f.mutable_payment()->set_status(EnumValue(PaymentStatus_descriptor(), "PAYMENT_STATUS_",
                                            row[4].as<std::string>(), PAYMENT_STATUS_UNSPECIFIED));
  f.mutable_payment()->set_amount_cents(row[5].as<int64_t>());
  f.mutable_payment()->set_currency(row[6].as<std::string>());
  f.mutable_shipment()->set_status(EnumValue(ShipmentStatus_descriptor(), "SHIPMENT_STATUS_",
                                             row[7].as<std::string>(),
                                             SHIPMENT_STATUS_UNSPECIFIED));
  f.mutable_shipment()->set_tracking_number(row[8].as<std::string>());
  f.mutable_shipment()->set_carrier(row[9].as<std::string>());
  f.set_version(row[10].as<int32_t>());
  *f.mutable_started_at() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(row[11].as<int64_t>());
  *f.mutable_updated_at() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(row[12].as<int64_t>());
  const std::string reservations = row[13].as<std::string>();
  if (!reservations.empty()) {
    for (absl::string_view item : absl::StrSplit(reservations, ',')) {
      std::vector<std::string> parts = absl::StrSplit(item, ' ');
      if (parts.size() != 3) continue;
      Reservation* r = f.add_reservations();
      r->set_sku(parts[0]);
      r->set_quantity(std::stoll(parts[1]));
      r->set_status(EnumValue(ReservationStatus_descriptor(), "RESERVATION_STATUS_", parts[2],
                              RESERVATION_STATUS_UNSPECIFIED));
    }
  }
  return f;
}

// The read model's spelling of a state filter: "SHIPPING"; "" for every state.
std::string StateFilter(ordo::v1::FulfilmentState state) {
  if (state == ordo::v1::FULFILMENT_STATE_UNSPECIFIED) return "";
  return std::string(absl::StripPrefix(ordo::v1::FulfilmentState_Name(state), "FULFILMENT_STATE_"));
}

// "f1|<state>|<order_id>", base64url.
std::string EncodeToken(const std::string& state, const std::string& order_id) {
  return absl::WebSafeBase64Escape(absl::StrCat("f1|", state, "|", order_id));
}

absl::StatusOr<std::string> DecodeToken(const std::string& token, const std::string& state) {
  if (token.empty()) return std::string();
  std::string decoded;
  std::vector<std::string> parts;
  if (absl::WebSafeBase64Unescape(token, &decoded)) {
    parts = absl::StrSplit(decoded, absl::MaxSplits('|', 2));
  }
  if (parts.size() != 3 || parts[0] != "f1") {
    return absl::InvalidArgumentError("page_token: malformed; pass next_page_token unchanged");
  }
  if (parts[1] != state) {
    return absl::InvalidArgumentError(
        "page_token: was made for another filter; repeat state unchanged");
  }
  return parts[2];
}

}  // namespace

store::GaugeQuery FulfilmentsByStateGauge() {
  return {"ordo_fulfilment_sagas",
          "Fulfilment sagas by state, from the fulfilments read model (as current as the "
          "fulfilment projection).",
          "state",
          // Every state, 0 included, so a state's series never disappears.
          "SELECT s.state, count(f.order_id)::float8 FROM (VALUES ('RESERVING_STOCK'), "
          "('AUTHORIZING_PAYMENT'), ('SHIPPING'), ('COMPLETED'), ('CANCELLED')) AS s(state) "
          "LEFT JOIN fulfilments f ON f.state = s.state GROUP BY s.state"};
}

absl::StatusOr<ordo::v1::Fulfilment> FulfilmentReadModel::Get(const std::string& order_id,
                                                              absl::Time deadline) {
  ORDO_ASSIGN_OR_RETURN(store::ConnectionPool::Lease connection, pool_.Acquire(deadline));
  return store::GuardPq("get fulfilment", [&]() -> absl::StatusOr<ordo::v1::Fulfilment> {
    connection->prepare(kGet, kGetSql);
    pqxx::nontransaction tx(*connection);
    pqxx::result rows = tx.exec_prepared(kGet, order_id);
    if (rows.empty()) {
      return absl::NotFoundError(absl::StrCat("no fulfilment for order ", order_id));
    }
    return FromRow(rows[0]);
  });
}

absl::StatusOr<ordo::v1::ListFulfilmentsResponse> FulfilmentReadModel::List(
    const ordo::v1::ListFulfilmentsRequest& request, absl::Time deadline) {
  if (request.page_size() < 0) return absl::InvalidArgumentError("page_size: must not be negative");
  ORDO_RETURN_IF_ERROR(CheckEnum("state", request.state(), ordo::v1::FulfilmentState_IsValid));
  const int page_size = request.page_size() == 0
                            ? kDefaultFulfilmentPageSize
                            : std::min(request.page_size(), kMaxFulfilmentPageSize);
  const std::string state = StateFilter(request.state());
  ORDO_ASSIGN_OR_RETURN(std::string after, DecodeToken(request.page_token(), state));
  ORDO_ASSIGN_OR_RETURN(store::ConnectionPool::Lease connection, pool_.Acquire(deadline));
  return store::GuardPq(
      "list fulfilments", [&]() -> absl::StatusOr<ordo::v1::ListFulfilmentsResponse> {
        connection->prepare(kList, kListSql);
        pqxx::nontransaction tx(*connection);
        pqxx::result rows = tx.exec_prepared(kList, after, page_size + 1, state);
        ordo::v1::ListFulfilmentsResponse response;
        for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
          *response.add_fulfilments() = FromRow(rows[i]);
        }
        if (static_cast<int>(rows.size()) > page_size) {
          response.set_next_page_token(
              EncodeToken(state, response.fulfilments(page_size - 1).order_id()));
        }
        return response;
      });
}

}  // namespace ordo::query
