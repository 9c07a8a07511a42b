// One active runner per subscriber across processes (DESIGN §5): a session-level advisory
// lock (never the _xact_ kind) held on a connection of its own, which also LISTENs for new
// events so the runner wakes at once. The lease ends with the session: a standby's
// TryAcquire succeeds as soon as the holder dies. Used by one thread.
#ifndef ORDO_STORE_SUBSCRIPTION_LEADER_LEASE_H_
#define ORDO_STORE_SUBSCRIPTION_LEADER_LEASE_H_

#include <memory>
#include <pqxx/connection>
#include <pqxx/notification>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace ordo::store {

class LeaderLease {
 public:
  // The lease of `name`, or nullptr while another session holds it. UNAVAILABLE when the
  // database cannot be reached.
  static absl::StatusOr<std::unique_ptr<LeaderLease>> TryAcquire(
      const std::string& connection_string, const std::string& name);

  LeaderLease(const LeaderLease&) = delete;
  LeaderLease& operator=(const LeaderLease&) = delete;

  // OK while the lease's session lives; UNAVAILABLE once it is gone (the lease is lost).
  absl::Status CheckHeld();

  // Returns when events may have been appended (a notification), or after `timeout`.
  void AwaitWakeup(absl::Duration timeout);

 private:
  // Only wakes await_notification(); the work happens in the runner's loop.
  struct Wakeup final : pqxx::notification_receiver {
    using notification_receiver::notification_receiver;
    void operator()(const std::string&, int) override {}
  };

  explicit LeaderLease(std::unique_ptr<pqxx::connection> connection);

  std::unique_ptr<pqxx::connection> connection_;
  Wakeup wakeup_;
};

}  // namespace ordo::store

#endif  // ORDO_STORE_SUBSCRIPTION_LEADER_LEASE_H_
