// Group commit for appends: leader/follower batching of concurrent callers.
#include "store/append_coalescer.h"

#include <algorithm>
#include <string_view>
#include <unordered_set>

#include "absl/time/clock.h"

namespace ordo::store {

std::vector<AppendCoalescer::Waiter*> AppendCoalescer::TakeBatch() {
  const absl::Time now = absl::Now();
  std::vector<Waiter*> batch;
  std::unordered_set<std::string_view> streams;
  for (auto it = queue_.begin(); it != queue_.end() && batch.size() < max_batch_;) {
    Waiter* waiter = *it;
    if (waiter->deadline <= now) {
      waiter->result = absl::DeadlineExceededError("deadline passed before the append ran");
    } else if (streams.insert(waiter->request->stream_id).second) {
      waiter->taken = true;
      batch.push_back(waiter);
    } else {
      ++it;  // the stream is in this batch already: it goes in the next one
      continue;
    }
    it = queue_.erase(it);
  }
  return batch;
}

size_t AppendCoalescer::queued() {
  absl::MutexLock lock(&mu_);
  return queue_.size();
}

absl::StatusOr<AppendResult> AppendCoalescer::Append(const AppendRequest& request,
                                                     absl::Time deadline) {
  Waiter self{&request, deadline, false, std::nullopt};
  absl::MutexLock lock(&mu_);
  queue_.push_back(&self);
  const auto answered_or_free = [this, &self]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return self.result.has_value() || !leading_;
  };
  const auto answered = [&self]() { return self.result.has_value(); };
  while (!self.result) {
    if (self.taken) {  // a batch with this request is running: only it can answer
      mu_.Await(absl::Condition(&answered));
      continue;
    }
    if (!mu_.AwaitWithDeadline(absl::Condition(&answered_or_free), deadline)) {
      if (self.taken) continue;
      queue_.erase(std::find(queue_.begin(), queue_.end(), &self));
      return absl::DeadlineExceededError("deadline passed while waiting for a batch to append");
    }
    if (self.result) break;
    // Nobody is running a batch: lead one, with whatever is queued (this call included,
    // unless its stream is already in it).
    std::vector<Waiter*> batch = TakeBatch();
    if (batch.empty()) continue;
    leading_ = true;
    std::vector<const AppendRequest*> requests;
    absl::Time batch_deadline = absl::InfinitePast();
    for (const Waiter* waiter : batch) {
      requests.push_back(waiter->request);
      batch_deadline = std::max(batch_deadline, waiter->deadline);
    }
    mu_.Unlock();
    std::vector<absl::StatusOr<AppendResult>> results = run_batch_(requests, batch_deadline);
    mu_.Lock();
    for (size_t i = 0; i < batch.size(); ++i) batch[i]->result = std::move(results[i]);
    leading_ = false;
  }
  return *std::move(self.result);
}

}  // namespace ordo::store
