// Fires a subscriber's due timers (timer_store.h) with a connection of its own: claims a
// few, calls `fire` for each outside any transaction (several at once, on a pool of
// threads), deletes the ones that fired and retries the others with backoff. Any number of pollers,
// in any number of processes, may serve one owner: a claim keeps the others off a timer while it
// fires, and lapses when the claiming process dies.
#ifndef ORDO_STORE_SUBSCRIPTION_TIMER_POLLER_H_
#define ORDO_STORE_SUBSCRIPTION_TIMER_POLLER_H_

#include <functional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/worker_pool.h"
#include "store/subscription/timer_store.h"

namespace ordo::store {

struct TimerPollerOptions {
  absl::Duration poll_interval = absl::Milliseconds(50);  // at most this late
  absl::Duration claim_for = absl::Seconds(30);           // longer than any firing
  absl::Duration max_backoff = absl::Seconds(30);
  int batch_size = 32;
  int parallelism = 8;  // timers fired at once
};

class TimerPoller {
 public:
  // OK: done. An error: fired again later, after a backoff that grows with its attempts.
  using Fire = std::function<absl::Status(const Timer&)>;

  TimerPoller(std::string connection_string, std::string owner, Fire fire,
              TimerPollerOptions options = {});
  ~TimerPoller();  // stops and joins
  TimerPoller(const TimerPoller&) = delete;
  TimerPoller& operator=(const TimerPoller&) = delete;

  void Start();
  void Stop();
  // Looks for due timers now instead of at the next poll: for a subscriber that has just
  // committed timers due at once. Thread-safe, never blocks on the database.
  void Wake();

 private:
  void Run();
  // Claims and fires one batch; the number claimed.
  size_t FireDue(pqxx::connection& connection);
  // Until Stop() (true) or Wake() or `timeout` (false).
  bool WaitForStopOrWake(absl::Duration timeout);

  const std::string connection_string_;
  const std::string owner_;
  const Fire fire_;
  const TimerPollerOptions options_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool woken_ ABSL_GUARDED_BY(mu_) = false;
  WorkerPool workers_;
  std::thread thread_;
};

}  // namespace ordo::store

#endif  // ORDO_STORE_SUBSCRIPTION_TIMER_POLLER_H_
