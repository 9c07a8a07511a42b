// One order's stream of a stream type, in version order, in pages.
#include "query/read_models/stream_history.h"

#include <pqxx/nontransaction>
#include <pqxx/result>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status_macros.h"
#include "query/read_models/recorded_event_message.h"
#include "query/request_checks.h"
#include "store/log/event_rows.h"
#include "store/pg/pg_status.h"

namespace ordo::query {
namespace {

constexpr char kHistory[] = "ordo_stream_history";
constexpr char kHistorySql[] = "SELECT " ORDO_EVENT_COLUMNS
                               " FROM events WHERE stream_id = $1 AND version > $2"
                               " ORDER BY version LIMIT $3";

// "h1|<order_id>|<last version>", base64url.
std::string EncodeToken(const std::string& order_id, int32_t version) {
  return absl::WebSafeBase64Escape(absl::StrCat("h1|", order_id, "|", version));
}

absl::StatusOr<int32_t> DecodeToken(const std::string& order_id, const std::string& token) {
  if (token.empty()) return 0;
  std::string decoded;
  std::vector<std::string> parts;
  int32_t version = 0;
  if (absl::WebSafeBase64Unescape(token, &decoded)) {
    parts = absl::StrSplit(decoded, '|');
  }
  if (parts.size() != 3 || parts[0] != "h1" || parts[1] != order_id ||
      !absl::SimpleAtoi(parts[2], &version) || version < 0) {
    return absl::InvalidArgumentError(
        "page_token: malformed or for another order; pass next_page_token unchanged");
  }
  return version;
}

}  // namespace

absl::StatusOr<ordo::v1::GetOrderHistoryResponse> StreamHistory::Get(const std::string& order_id,
                                                                     int32_t requested_page_size,
                                                                     const std::string& page_token,
                                                                     absl::Time deadline) {
  ORDO_RETURN_IF_ERROR(CheckId("order_id", order_id));
  if (order_id.find(':') != std::string::npos) {
    // Streams of other types have prefixed ids ("inventory:<sku>"); no order id has a ':'.
    return absl::InvalidArgumentError("order_id: an order id has no ':'");
  }
  if (requested_page_size < 0) {
    return absl::InvalidArgumentError("page_size: must not be negative");
  }
  const int page_size = requested_page_size == 0
                            ? kDefaultHistoryPageSize
                            : std::min(requested_page_size, kMaxHistoryPageSize);
  ORDO_ASSIGN_OR_RETURN(int32_t after_version, DecodeToken(order_id, page_token));
  ORDO_ASSIGN_OR_RETURN(store::ConnectionPool::Lease connection, pool_.Acquire(deadline));
  return store::GuardPq("history", [&]() -> absl::StatusOr<ordo::v1::GetOrderHistoryResponse> {
    connection->prepare(kHistory, kHistorySql);
    pqxx::nontransaction tx(*connection);
    pqxx::result rows =
        tx.exec_prepared(kHistory, stream_of_(order_id), after_version, page_size + 1);
    if (rows.empty() && after_version == 0) {
      return absl::NotFoundError(absl::StrCat(noun_, " ", order_id, " not found"));
    }
    ordo::v1::GetOrderHistoryResponse response;
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      store::RecordedEvent event = store::EventFromRow(rows[i]);
      // Every event in its current shape (older ones lifted by the upcasters).
      ORDO_ASSIGN_OR_RETURN(events::CurrentPayload payload, lift_(event));
      ORDO_RETURN_IF_ERROR(FillRecordedEvent(event, payload, response.add_events()));
    }
    if (static_cast<int>(rows.size()) > page_size) {
      response.set_next_page_token(
          EncodeToken(order_id, response.events(response.events_size() - 1).version()));
    }
    return response;
  });
}

}  // namespace ordo::query
