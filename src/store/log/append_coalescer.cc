// Group commit for appends: leader/follower batching of concurrent callers.
#include "store/log/append_coalescer.h"

#include <algorithm>

#include "absl/time/clock.h"

namespace ordo::store {

size_t AppendCoalescer::queued() {
  absl::MutexLock lock(&mu_);
  return queue_.size();
}

bool AppendCoalescer::LaneFree(absl::Time now) const {
  const absl::Time stalled_before = now - options_.stalled_after;
  const auto busy = std::count_if(running_since_.begin(), running_since_.end(),
                                  [&](absl::Time since) { return since > stalled_before; });
  return busy < options_.max_batches;
}

std::vector<AppendCoalescer::Waiter*> AppendCoalescer::TakeBatch(absl::Time now) {
  std::vector<Waiter*> batch;
  absl::flat_hash_set<std::string_view> streams;
  for (auto it = queue_.begin(); it != queue_.end() && batch.size() < options_.max_batch;) {
    Waiter* waiter = *it;
    const std::string& stream = waiter->request->stream_id;
    if (waiter->deadline <= now) {
      waiter->result = absl::DeadlineExceededError("deadline passed before the append ran");
    } else if (!running_streams_.contains(stream) && streams.insert(stream).second) {
      waiter->taken = true;
      batch.push_back(waiter);
    } else {
      ++it;  // its stream is in this or a running batch: it goes in a later one
      continue;
    }
    it = queue_.erase(it);
  }
  return batch;
}

void AppendCoalescer::Lead(std::vector<Waiter*> batch, absl::Time now) {
  std::vector<const AppendRequest*> requests;
  absl::Time batch_deadline = absl::InfinitePast();
  for (const Waiter* waiter : batch) {
    requests.push_back(waiter->request);
    batch_deadline = std::max(batch_deadline, waiter->deadline);
    running_streams_.insert(waiter->request->stream_id);
  }
  running_since_.push_back(now);
  mu_.Unlock();
  std::vector<absl::StatusOr<AppendResult>> results = run_batch_(requests, batch_deadline);
  mu_.Lock();
  running_since_.erase(std::find(running_since_.begin(), running_since_.end(), now));
  for (size_t i = 0; i < batch.size(); ++i) {
    running_streams_.erase(batch[i]->request->stream_id);
    batch[i]->result = std::move(results[i]);
  }
}

absl::StatusOr<AppendResult> AppendCoalescer::Append(const AppendRequest& request,
                                                     absl::Time deadline) {
  Waiter self{&request, deadline, false, std::nullopt};
  absl::MutexLock lock(&mu_);
  queue_.push_back(&self);
  const auto answered = [&self]() { return self.result.has_value(); };
  const auto answered_or_lane_free = [this, &self]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return self.result.has_value() || LaneFree(absl::Now());
  };
  const auto answered_or_stream_free = [this, &self]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return self.result.has_value() || !running_streams_.contains(self.request->stream_id);
  };
  while (!self.result) {
    if (self.taken) {  // a batch with this request is running: only it can answer
      mu_.Await(absl::Condition(&answered));
      continue;
    }
    // A lane frees up when a batch ends, or when one has run so long that it counts as
    // stalled, which no unlock announces: look again after that long at the latest.
    const absl::Time look_again = std::min(deadline, absl::Now() + options_.stalled_after);
    if (!mu_.AwaitWithDeadline(absl::Condition(&answered_or_lane_free), look_again)) {
      if (self.taken || absl::Now() < deadline) continue;
      queue_.erase(std::find(queue_.begin(), queue_.end(), &self));
      return absl::DeadlineExceededError("deadline passed while waiting for a batch to append");
    }
    if (self.result) break;
    // A lane is free: lead a batch with whatever is queued (this call included, unless
    // its stream is already in a batch).
    const absl::Time now = absl::Now();
    std::vector<Waiter*> batch = TakeBatch(now);
    if (batch.empty()) {
      if (self.result) break;  // expired
      // This stream is in a running batch: wait for that one to end.
      mu_.AwaitWithDeadline(absl::Condition(&answered_or_stream_free), look_again);
      continue;
    }
    Lead(std::move(batch), now);
  }
  return *std::move(self.result);
}

}  // namespace ordo::store
