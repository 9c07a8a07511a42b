// Group commit for appends: lane threads run what callers queue, in batches.
#include "store/log/append_coalescer.h"

#include <pthread.h>

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"

namespace ordo::store {

AppendCoalescer::AppendCoalescer(RunBatch run_batch, AppendCoalescerOptions options)
    : run_batch_(std::move(run_batch)), options_(options) {
  const int lanes = std::max(1, options_.max_batches) + std::max(0, options_.spare_lanes);
  for (int i = 0; i < lanes; ++i) {
    lanes_.emplace_back([this] {
      pthread_setname_np(pthread_self(), "ordo-append");  // in top -H and perf
      Lane();
    });
  }
}

AppendCoalescer::~AppendCoalescer() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    work_.SignalAll();
  }
  for (std::thread& lane : lanes_) lane.join();
}

size_t AppendCoalescer::queued() {
  absl::MutexLock lock(&mu_);
  return queue_.size();
}

void AppendCoalescer::Submit(AppendRequest request, absl::Time deadline, Done done) {
  auto waiter = std::make_unique<Waiter>(Waiter{std::move(request), deadline, std::move(done)});
  absl::MutexLock lock(&mu_);
  queue_.push_back(std::move(waiter));
  work_.Signal();
}

absl::StatusOr<AppendResult> AppendCoalescer::Append(AppendRequest request, absl::Time deadline) {
  absl::Notification answered;
  std::optional<absl::StatusOr<AppendResult>> result;
  auto waiter = std::make_unique<Waiter>(
      Waiter{std::move(request), deadline, [&](absl::StatusOr<AppendResult> outcome) {
               result = std::move(outcome);
               answered.Notify();
             }});
  Waiter* self = waiter.get();
  {
    absl::MutexLock lock(&mu_);
    queue_.push_back(std::move(waiter));
    work_.Signal();
  }
  if (!answered.WaitForNotificationWithDeadline(deadline)) {
    absl::MutexLock lock(&mu_);
    if (!self->taken) {  // still queued (only the queue holds it): it will not be written
      queue_.erase(std::find_if(queue_.begin(), queue_.end(),
                                [self](const auto& queued) { return queued.get() == self; }));
      return absl::DeadlineExceededError("deadline passed while waiting for a batch to append");
    }
  }
  answered.WaitForNotification();  // a batch has it: only that batch can answer
  return *std::move(result);
}

bool AppendCoalescer::LaneFree(absl::Time now) const {
  const absl::Time stalled_before = now - options_.stalled_after;
  const auto busy = std::count_if(running_since_.begin(), running_since_.end(),
                                  [&](absl::Time since) { return since > stalled_before; });
  return busy < options_.max_batches;
}

AppendCoalescer::Waiters AppendCoalescer::TakeBatch(absl::Time now, size_t limit, Waiters& expired,
                                                    absl::Time& next_expiry) {
  Waiters batch;
  next_expiry = absl::InfiniteFuture();
  absl::flat_hash_set<std::string_view> streams;
  for (auto it = queue_.begin(); it != queue_.end();) {
    Waiter& waiter = **it;
    const std::string& stream = waiter.request.stream_id;
    if (waiter.deadline <= now) {
      waiter.taken = true;
      expired.push_back(std::move(*it));
    } else if (batch.size() < limit && !running_streams_.contains(stream) &&
               streams.insert(stream).second) {
      waiter.taken = true;
      batch.push_back(std::move(*it));
    } else {
      next_expiry = std::min(next_expiry, waiter.deadline);
      ++it;  // its stream is in this or a running batch, or this one is full: a later one
      continue;
    }
    it = queue_.erase(it);
  }
  return batch;
}

std::vector<absl::StatusOr<AppendResult>> AppendCoalescer::Run(const Waiters& batch,
                                                               absl::Time now) {
  std::vector<const AppendRequest*> requests;
  absl::Time batch_deadline = absl::InfinitePast();
  for (const auto& waiter : batch) {
    requests.push_back(&waiter->request);
    batch_deadline = std::max(batch_deadline, waiter->deadline);
    running_streams_.insert(waiter->request.stream_id);
  }
  running_since_.push_back(now);
  mu_.Unlock();
  std::vector<absl::StatusOr<AppendResult>> results = run_batch_(requests, batch_deadline);
  mu_.Lock();
  running_since_.erase(std::find(running_since_.begin(), running_since_.end(), now));
  for (const auto& waiter : batch) running_streams_.erase(waiter->request.stream_id);
  return results;
}

void AppendCoalescer::Lane() {
  absl::MutexLock lock(&mu_);
  for (;;) {
    if (queue_.empty()) {
      if (stopping_) return;
      work_.Wait(&mu_);
      continue;
    }
    // With no lane free, only the expired are taken (to be answered).
    const absl::Time now = absl::Now();
    Waiters expired;
    absl::Time next_expiry;
    Waiters batch = TakeBatch(now, LaneFree(now) ? options_.max_batch : 0, expired, next_expiry);
    if (batch.empty() && expired.empty()) {
      // A lane frees up, or a queued stream leaves its running batch, when a batch ends
      // (which signals), or when a batch has run so long that it counts as stalled (which
      // nothing signals): look again after that long, or when a queued append expires.
      work_.WaitWithTimeout(&mu_, std::min(options_.stalled_after, next_expiry - now));
      continue;
    }
    std::vector<absl::StatusOr<AppendResult>> results;
    if (!batch.empty()) {
      results = Run(batch, now);
      if (!queue_.empty()) work_.Signal();  // another lane takes what queued meanwhile
    }
    mu_.Unlock();
    for (auto& waiter : expired) {
      std::move(waiter->done)(absl::DeadlineExceededError("deadline passed before the append ran"));
    }
    for (size_t i = 0; i < batch.size(); ++i) std::move(batch[i]->done)(std::move(results[i]));
    expired.clear();
    batch.clear();
    mu_.Lock();
  }
}

}  // namespace ordo::store
