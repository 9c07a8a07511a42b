// Timers of a subscriber that reacts over time (the saga's deadlines, DESIGN §11): rows of
// `saga_timers`, set and cancelled in the transaction that records the subscriber's state,
// so a kill -9 can lose neither. A due timer is claimed by a poller's session (FOR UPDATE
// SKIP LOCKED, committed at once), fired outside any transaction, then deleted. A claim
// lapses as soon as the claiming session ends (its process died), or after a while if it
// hangs, and is then taken again: firing must be idempotent.
#ifndef ORDO_STORE_SUBSCRIPTION_TIMER_STORE_H_
#define ORDO_STORE_SUBSCRIPTION_TIMER_STORE_H_

#include <pqxx/connection>
#include <pqxx/transaction_base>
#include <string>
#include <vector>

#include "absl/time/time.h"

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
  std::string traceparent;   // of the event whose handling set it; may be empty
};

// Each function throws what libpqxx throws.
namespace timer_store {

// Inside the caller's transaction. Setting a timer that is set already changes nothing.
void Set(pqxx::transaction_base& tx, const TimerKey& key, absl::Duration delay,
         const std::string& correlation_id, const std::string& causation_id,
         const std::string& traceparent = "");
void Cancel(pqxx::transaction_base& tx, const TimerKey& key);

// On the poller's own connection, which must stay open while the claimed timers fire: up
// to `limit` of the owner's due timers, each claimed by this session (for at most
// `claim_for`, should it hang).
std::vector<Timer> ClaimDue(pqxx::connection& connection, const std::string& owner, int limit,
                            absl::Duration claim_for);
// Fired: the timer is gone (unless it was set anew meanwhile).
void Done(pqxx::connection& connection, const Timer& timer);
// Not fired: due again after `delay`, with the error kept for operators.
void Retry(pqxx::connection& connection, const Timer& timer, absl::Duration delay,
           const std::string& error);

}  // namespace timer_store
}  // namespace ordo::store

#endif  // ORDO_STORE_SUBSCRIPTION_TIMER_STORE_H_
