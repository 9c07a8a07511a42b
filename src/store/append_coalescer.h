// Group commit for appends: concurrent callers queue their appends, and one of them (the
// leader) runs everything queued as one batch while the others wait for their result, so
// N concurrent commands cost one statement, one commit and one WAL flush instead of N.
// Generic over how a batch is run; knows no SQL. Thread-safe.
#ifndef ORDO_STORE_APPEND_COALESCER_H_
#define ORDO_STORE_APPEND_COALESCER_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <optional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "store/append_types.h"

namespace ordo::store {

class AppendCoalescer {
 public:
  // Runs a batch of appends to distinct streams, at most `max_batch` of them, by
  // `deadline`; answers one result per request, in order.
  using RunBatch = std::function<std::vector<absl::StatusOr<AppendResult>>(
      const std::vector<const AppendRequest*>& batch, absl::Time deadline)>;

  AppendCoalescer(RunBatch run_batch, size_t max_batch)
      : run_batch_(std::move(run_batch)), max_batch_(max_batch) {}
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

  // Moves the waiters of the next batch out of the queue: first come first, one per
  // stream, at most max_batch_; answers the expired ones instead.
  std::vector<Waiter*> TakeBatch() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const RunBatch run_batch_;
  const size_t max_batch_;
  absl::Mutex mu_;
  std::deque<Waiter*> queue_ ABSL_GUARDED_BY(mu_);
  bool leading_ ABSL_GUARDED_BY(mu_) = false;  // a batch is running
};

}  // namespace ordo::store

#endif  // ORDO_STORE_APPEND_COALESCER_H_
