// Group commit for appends: concurrent callers queue their appends, and one of them (a
// leader) runs everything queued as one batch while the others wait for their result, so
// N concurrent commands cost one statement, one commit and one WAL flush instead of N.
// A few batches may run at once, and one that is stuck (waiting on a lock, say) stops
// counting after a while, so it cannot hold up the appends queued behind it.
// Generic over how a batch is run; knows no SQL. Thread-safe.
#ifndef ORDO_STORE_LOG_APPEND_COALESCER_H_
#define ORDO_STORE_LOG_APPEND_COALESCER_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "store/log/append_types.h"

namespace ordo::store {

struct AppendCoalescerOptions {
  size_t max_batch = 64;  // appends in one batch
  int max_batches = 2;    // batches running at once
  // A batch running longer than this no longer counts against max_batches.
  absl::Duration stalled_after = absl::Milliseconds(50);
};

class AppendCoalescer {
 public:
  // Runs a batch of appends to distinct streams by `deadline`; answers one result per
  // request, in order. Must not throw.
  using RunBatch = std::function<std::vector<absl::StatusOr<AppendResult>>(
      const std::vector<const AppendRequest*>& batch, absl::Time deadline)>;

  AppendCoalescer(RunBatch run_batch, AppendCoalescerOptions options)
      : run_batch_(std::move(run_batch)), options_(options) {}
  AppendCoalescer(const AppendCoalescer&) = delete;
  AppendCoalescer& operator=(const AppendCoalescer&) = delete;

  // Appends `request` in the next batch; DEADLINE_EXCEEDED if `deadline` passes before a
  // batch takes it (then it was not written).
  absl::StatusOr<AppendResult> Append(const AppendRequest& request, absl::Time deadline);

  // Appends waiting for a batch to take them.
  size_t queued() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Waiter {
    const AppendRequest* request;
    absl::Time deadline;
    bool taken = false;
    std::optional<absl::StatusOr<AppendResult>> result;
  };

  // True when a caller may lead a new batch now.
  bool LaneFree(absl::Time now) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Moves the waiters of the next batch out of the queue: first come first, one per
  // stream and none whose stream is in a running batch, at most max_batch; answers the
  // expired ones instead.
  std::vector<Waiter*> TakeBatch(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Runs `batch` as its leader: unlocks mu_ meanwhile, then answers every waiter in it.
  void Lead(std::vector<Waiter*> batch, absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const RunBatch run_batch_;
  const AppendCoalescerOptions options_;
  absl::Mutex mu_;
  std::deque<Waiter*> queue_ ABSL_GUARDED_BY(mu_);
  std::vector<absl::Time> running_since_ ABSL_GUARDED_BY(mu_);  // one per running batch
  absl::flat_hash_set<std::string> running_streams_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ordo::store

#endif  // ORDO_STORE_LOG_APPEND_COALESCER_H_
