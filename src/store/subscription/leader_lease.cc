// One active runner per subscriber across processes: the advisory-lock session.
#include "store/subscription/leader_lease.h"

#include <pqxx/nontransaction>

#include "store/log/change_notifier.h"
#include "store/pg/pg_status.h"

namespace ordo::store {
namespace {

// First key of every subscriber lock ("ordo"); the second is hashtext(name).
constexpr char kTryLockSql[] = "SELECT pg_try_advisory_lock(1869771887, hashtext($1))";

}  // namespace

LeaderLease::LeaderLease(std::unique_ptr<pqxx::connection> connection)
    : connection_(std::move(connection)), wakeup_(*connection_, kEventsChannel) {}

absl::StatusOr<std::unique_ptr<LeaderLease>> LeaderLease::TryAcquire(
    const std::string& connection_string, const std::string& name) {
  return GuardPq("leader lease", [&]() -> absl::StatusOr<std::unique_ptr<LeaderLease>> {
    auto connection = std::make_unique<pqxx::connection>(connection_string);
    bool locked = false;
    {
      pqxx::nontransaction tx(*connection);
      locked = tx.exec_params1(kTryLockSql, name)[0].as<bool>();
    }
    if (!locked) return std::unique_ptr<LeaderLease>();
    return std::unique_ptr<LeaderLease>(new LeaderLease(std::move(connection)));
  });
}

absl::Status LeaderLease::CheckHeld() {
  return GuardPq("leader lease", [&]() -> absl::Status {
    connection_->get_notifs();  // throws when the session is gone
    if (!connection_->is_open()) return absl::UnavailableError("leader lease: session closed");
    return absl::OkStatus();
  });
}

void LeaderLease::AwaitWakeup(absl::Duration timeout) {
  // A lost session shows in the next CheckHeld().
  (void)GuardPq("leader lease", [&]() -> absl::Status {
    connection_->await_notification(0, absl::ToInt64Microseconds(timeout));
    return absl::OkStatus();
  });
}

}  // namespace ordo::store
