// The SELECT behind ListNotifications.
#include "query/read_models/notification_read_model.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <limits>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status_macros.h"
#include "query/request_checks.h"
#include "store/pg/pg_status.h"

namespace ordo::query {
namespace {

// Newest first: keyset on the identity, below $2.
constexpr char kList[] = "ordo_list_notifications";
constexpr char kListSql[] =
    "SELECT notification_id, customer_id, order_id, kind, text, event_id::text,"
    " (extract(epoch FROM created_at) * 1000000)::bigint"
    " FROM customer_notifications WHERE customer_id = $1 AND notification_id < $2"
    " ORDER BY notification_id DESC LIMIT $3";

ordo::v1::NotificationKind KindFromSql(const std::string& kind) {
  ordo::v1::NotificationKind value = ordo::v1::NOTIFICATION_KIND_UNSPECIFIED;
  ordo::v1::NotificationKind_Parse(absl::StrCat("NOTIFICATION_KIND_", kind), &value);
  return value;
}

// "n1|<customer_id>|<notification_id>", base64url.
std::string EncodeToken(const std::string& customer_id, int64_t below) {
  return absl::WebSafeBase64Escape(absl::StrCat("n1|", customer_id, "|", below));
}

absl::StatusOr<int64_t> DecodeToken(const std::string& token, const std::string& customer_id) {
  if (token.empty()) return std::numeric_limits<int64_t>::max();
  std::string decoded;
  std::vector<std::string> parts;
  if (absl::WebSafeBase64Unescape(token, &decoded)) {
    parts = absl::StrSplit(decoded, '|');
  }
  int64_t below = 0;
  if (parts.size() < 3 || parts[0] != "n1" || !absl::SimpleAtoi(parts.back(), &below)) {
    return absl::InvalidArgumentError("page_token: malformed; pass next_page_token unchanged");
  }
  parts.erase(parts.begin());
  parts.pop_back();
  if (absl::StrJoin(parts, "|") != customer_id) {
    return absl::InvalidArgumentError(
        "page_token: was made for another customer; repeat customer_id unchanged");
  }
  return below;
}

}  // namespace

absl::StatusOr<ordo::v1::ListNotificationsResponse> NotificationReadModel::List(
    const ordo::v1::ListNotificationsRequest& request, absl::Time deadline) {
  ORDO_RETURN_IF_ERROR(CheckId("customer_id", request.customer_id()));
  if (request.page_size() < 0) return absl::InvalidArgumentError("page_size: must not be negative");
  const int page_size = request.page_size() == 0
                            ? kDefaultNotificationPageSize
                            : std::min(request.page_size(), kMaxNotificationPageSize);
  ORDO_ASSIGN_OR_RETURN(int64_t below, DecodeToken(request.page_token(), request.customer_id()));
  ORDO_ASSIGN_OR_RETURN(store::ConnectionPool::Lease connection, pool_.Acquire(deadline));
  return store::GuardPq(
      "list notifications", [&]() -> absl::StatusOr<ordo::v1::ListNotificationsResponse> {
        connection->prepare(kList, kListSql);
        pqxx::nontransaction tx(*connection);
        pqxx::result rows = tx.exec_prepared(kList, request.customer_id(), below, page_size + 1);
        ordo::v1::ListNotificationsResponse response;
        int64_t last_id = 0;
        for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
          const pqxx::row& row = rows[i];
          ordo::v1::Notification* n = response.add_notifications();
          last_id = row[0].as<int64_t>();
          n->set_notification_id(std::to_string(last_id));
          n->set_customer_id(row[1].as<std::string>());
          n->set_order_id(row[2].as<std::string>());
          n->set_kind(KindFromSql(row[3].as<std::string>()));
          n->set_text(row[4].as<std::string>());
          n->set_event_id(row[5].as<std::string>());
          *n->mutable_created_at() =
              google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(row[6].as<int64_t>());
        }
        if (static_cast<int>(rows.size()) > page_size) {
          response.set_next_page_token(EncodeToken(request.customer_id(), last_id));
        }
        return response;
      });
}

}  // namespace ordo::query
