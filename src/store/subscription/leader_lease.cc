// One active runner per subscriber across processes: the advisory-lock session.
#include "store/subscription/leader_lease.h"

#include <algorithm>
#include <pqxx/nontransaction>

#include "absl/strings/str_cat.h"
#include "store/log/wakeup_payload.h"
#include "store/pg/pg_status.h"

namespace ordo::store {
namespace {

// First key of every subscriber lock ("ordo"); the second is hashtext(name).
constexpr char kTryLockSql[] = "SELECT pg_try_advisory_lock(1869771887, hashtext($1))";
// Waits for the lock up to the session's lock_timeout (SQLSTATE 55P03 when it passes).
constexpr char kLockSql[] = "SELECT pg_advisory_lock(1869771887, hashtext($1))";
constexpr char kLockNotAvailable[] = "55P03";

}  // namespace

void LeaderLease::Wakeup::operator()(const std::string& payload, int) {
  if (WakeupConcerns(payload, filter.stream_types, filter.event_types)) relevant = true;
}

LeaderLease::LeaderLease(std::unique_ptr<pqxx::connection> connection, SubscriberFilter filter)
    : connection_(std::move(connection)), wakeup_(*connection_, std::move(filter)) {}

absl::StatusOr<std::unique_ptr<LeaderLease>> LeaderLease::Acquire(
    const std::string& connection_string, const std::string& name, SubscriberFilter filter,
    absl::Duration wait) {
  return GuardPq("leader lease", [&]() -> absl::StatusOr<std::unique_ptr<LeaderLease>> {
    auto connection = std::make_unique<pqxx::connection>(connection_string);
    bool locked = false;
    const int64_t wait_ms = absl::ToInt64Milliseconds(wait);
    if (wait_ms <= 0) {
      pqxx::nontransaction tx(*connection);
      locked = tx.exec_params1(kTryLockSql, name)[0].as<bool>();
    } else {
      try {
        pqxx::nontransaction tx(*connection);
        tx.exec(absl::StrCat("SET lock_timeout = ", wait_ms));
        tx.exec_params(kLockSql, name);
        tx.exec("SET lock_timeout = 0");
        locked = true;
      } catch (const pqxx::sql_error& e) {
        if (e.sqlstate() != kLockNotAvailable) throw;
      }
    }
    if (!locked) return std::unique_ptr<LeaderLease>();
    return std::unique_ptr<LeaderLease>(new LeaderLease(std::move(connection), std::move(filter)));
  });
}

absl::Status LeaderLease::CheckHeld() {
  return GuardPq("leader lease", [&]() -> absl::Status {
    connection_->get_notifs();  // throws when the session is gone
    if (!connection_->is_open()) return absl::UnavailableError("leader lease: session closed");
    return absl::OkStatus();
  });
}

bool LeaderLease::AwaitWakeup(absl::Duration timeout) {
  wakeup_.relevant = false;
  absl::Status waited = GuardPq("leader lease", [&]() -> absl::Status {
    const int64_t micros = std::max<int64_t>(0, absl::ToInt64Microseconds(timeout));
    connection_->await_notification(micros / 1000000, micros % 1000000);
    return absl::OkStatus();
  });
  // A lost session: wake the runner, whose next CheckHeld() sees it.
  return wakeup_.relevant || !waited.ok();
}

}  // namespace ordo::store
