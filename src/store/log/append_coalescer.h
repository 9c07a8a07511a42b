// Group commit for appends: callers queue their appends and a few lane threads run
// everything queued as one batch, so N concurrent commands cost one statement, one commit
// and one WAL flush instead of N. A caller either waits for its outcome (Append) or hands
// over a callback that the batch's thread calls (Submit), so that a gRPC call can be
// answered from there without another thread hand-off. Up to max_batches batches run at
// once, and one that is stuck (waiting on a lock, say) stops counting after a while, so it
// cannot hold up the appends queued behind it. Generic over how a batch is run; knows no
// SQL. Thread-safe.
#ifndef ORDO_STORE_LOG_APPEND_COALESCER_H_
#define ORDO_STORE_LOG_APPEND_COALESCER_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/functional/any_invocable.h"
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
  // Lane threads beyond max_batches: they run the next batch while a lane answers its
  // callers, or while a batch is stalled.
  int spare_lanes = 2;
};

class AppendCoalescer {
 public:
  // Runs a batch of appends to distinct streams by `deadline`; answers one result per
  // request, in order. Must not throw.
  using RunBatch = std::function<std::vector<absl::StatusOr<AppendResult>>(
      const std::vector<const AppendRequest*>& batch, absl::Time deadline)>;
  // Takes an append's outcome; runs on a lane thread, so it must not block.
  using Done = absl::AnyInvocable<void(absl::StatusOr<AppendResult>) &&>;

  // Starts the lane threads.
  AppendCoalescer(RunBatch run_batch, AppendCoalescerOptions options);
  // Runs what is queued, then joins the lane threads.
  ~AppendCoalescer();
  AppendCoalescer(const AppendCoalescer&) = delete;
  AppendCoalescer& operator=(const AppendCoalescer&) = delete;

  // Appends `request` in a coming batch and calls `done` with its outcome from the
  // batch's thread: DEADLINE_EXCEEDED when `deadline` passed before a batch took it (then
  // it was not written).
  void Submit(AppendRequest request, absl::Time deadline, Done done) ABSL_LOCKS_EXCLUDED(mu_);

  // Appends `request` in a coming batch and returns its outcome; DEADLINE_EXCEEDED if
  // `deadline` passes before a batch takes it (then it was not written).
  absl::StatusOr<AppendResult> Append(AppendRequest request, absl::Time deadline)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Appends waiting for a batch to take them.
  size_t queued() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Waiter {
    AppendRequest request;
    absl::Time deadline;
    Done done;
    bool taken = false;  // by a batch: only the batch answers it now
  };
  using Waiters = std::vector<std::unique_ptr<Waiter>>;

  // One lane thread: runs batches until the coalescer stops and nothing is queued.
  void Lane() ABSL_LOCKS_EXCLUDED(mu_);
  // True when a lane may start a batch now.
  bool LaneFree(absl::Time now) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Moves the waiters of the next batch out of the queue: first come first, one per
  // stream and none whose stream is in a running batch, at most `limit`. Expired ones move
  // to `expired` instead; `next_expiry` is the earliest deadline of those left.
  Waiters TakeBatch(absl::Time now, size_t limit, Waiters& expired, absl::Time& next_expiry)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Runs `batch`, unlocking mu_ meanwhile; returns each waiter's outcome, in order.
  std::vector<absl::StatusOr<AppendResult>> Run(const Waiters& batch, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const RunBatch run_batch_;
  const AppendCoalescerOptions options_;
  absl::Mutex mu_;
  absl::CondVar work_;  // signalled when an append is queued or a batch ends
  std::deque<std::unique_ptr<Waiter>> queue_ ABSL_GUARDED_BY(mu_);
  std::vector<absl::Time> running_since_ ABSL_GUARDED_BY(mu_);  // one per running batch
  absl::flat_hash_set<std::string> running_streams_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> lanes_;
};

}  // namespace ordo::store

#endif  // ORDO_STORE_LOG_APPEND_COALESCER_H_
