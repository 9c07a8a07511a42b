// Timers of a subscriber that reacts over time (the saga's deadlines, DESIGN §11): rows of
// `saga_timers`, set and cancelled in the transaction that records the subscriber's state,
// so a kill -9 can lose neither. A due timer is claimed for a while (FOR UPDATE SKIP
// LOCKED, committed at once), fired outside any transaction, then deleted; a claim that
// lapses (its process died) is taken again, so firing must be idempotent.
#ifndef ORDO_STORE_SUBSCRIPTION_TIMER_STORE_H_
#define ORDO_STORE_SUBSCRIPTION_TIMER_STORE_H_

#include <pqxx/transaction_base>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "store/pg/connection_pool.h"

namespace ordo::store {

struct TimerKey {
  std::string owner;     // the subscriber's name
  std::string instance;  // e.g. the saga's stream id
  std::string kind;
};

struct Timer {
  TimerKey key;
  std::string correlation_id;
  std::string causation_id;  // the event whose handling set it
  int attempts = 0;          // this firing included
};

namespace timer_store {

// Inside the caller's transaction. Setting a timer that is set already changes nothing.
void Set(pqxx::transaction_base& tx, const TimerKey& key, absl::Duration delay,
         const std::string& correlation_id, const std::string& causation_id);
void Cancel(pqxx::transaction_base& tx, const TimerKey& key);

}  // namespace timer_store

class TimerStore {
 public:
  explicit TimerStore(ConnectionPool& pool) : pool_(pool) {}

  // Up to `limit` of the owner's due timers, each claimed for `claim_for`.
  absl::StatusOr<std::vector<Timer>> ClaimDue(const std::string& owner, int limit,
                                              absl::Duration claim_for);
  // Fired: the timer is gone (unless it was set anew meanwhile).
  absl::Status Done(const Timer& timer);
  // Not fired: due again after `delay`, with the error kept for operators.
  absl::Status Retry(const Timer& timer, absl::Duration delay, const std::string& error);

 private:
  ConnectionPool& pool_;
};

}  // namespace ordo::store

#endif  // ORDO_STORE_SUBSCRIPTION_TIMER_STORE_H_
