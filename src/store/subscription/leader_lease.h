// One active runner per subscriber across processes (DESIGN §5): a session-level advisory
// lock (never the _xact_ kind) held on a connection of its own, which also LISTENs for new
// events so the runner wakes at once. The lease ends with the session: a standby waiting in
// Acquire gets it the moment the holder dies. Used by one thread.
#ifndef ORDO_STORE_SUBSCRIPTION_LEADER_LEASE_H_
#define ORDO_STORE_SUBSCRIPTION_LEADER_LEASE_H_

#include <memory>
#include <pqxx/connection>
#include <pqxx/notification>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "store/log/change_notifier.h"
#include "store/subscription/subscriber.h"

namespace ordo::store {

class LeaderLease {
 public:
  // The lease of `name`, waiting up to `wait` for the session that holds it to end;
  // nullptr when it still holds it then. UNAVAILABLE when the database cannot be reached.
  // Wake-ups that show nothing `filter` wants was appended are ignored.
  static absl::StatusOr<std::unique_ptr<LeaderLease>> Acquire(
      const std::string& connection_string, const std::string& name, SubscriberFilter filter = {},
      absl::Duration wait = absl::ZeroDuration());

  LeaderLease(const LeaderLease&) = delete;
  LeaderLease& operator=(const LeaderLease&) = delete;

  // OK while the lease's session lives; UNAVAILABLE once it is gone (the lease is lost).
  absl::Status CheckHeld();

  // Waits up to `timeout` for a notification; true when one may concern this subscriber
  // (events it wants, or of unknown types, were appended) or the session broke.
  bool AwaitWakeup(absl::Duration timeout);

 private:
  // Notes whether a notification may concern the filter; the work happens in the runner's
  // loop.
  struct Wakeup final : pqxx::notification_receiver {
    Wakeup(pqxx::connection_base& connection, SubscriberFilter filter)
        : notification_receiver(connection, kEventsChannel), filter(std::move(filter)) {}
    void operator()(const std::string& payload, int) override;
    const SubscriberFilter filter;
    bool relevant = false;
  };

  LeaderLease(std::unique_ptr<pqxx::connection> connection, SubscriberFilter filter);

  std::unique_ptr<pqxx::connection> connection_;
  Wakeup wakeup_;
};

}  // namespace ordo::store

#endif  // ORDO_STORE_SUBSCRIPTION_LEADER_LEASE_H_
