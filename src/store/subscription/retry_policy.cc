// What the subscriber runtime does when a batch fails.
#include "store/subscription/retry_policy.h"

#include <algorithm>

namespace ordo::store {

RetryDecision RetryPolicy::OnFailure(const std::vector<int64_t>& positions,
                                     std::optional<size_t> failed_index) {
  RetryDecision decision;
  if (!failed_index || *failed_index >= positions.size()) {
    if (positions.size() > 1) {
      next_limit_ = 1;  // not tied to an event: find the one that fails
      decision.action = RetryDecision::Action::kNarrow;
      return decision;
    }
    failed_index = 0;
  }
  const size_t failed = *failed_index;
  int& attempts = attempts_[positions[failed]];
  ++attempts;
  decision.index = failed;
  decision.attempts = attempts;
  if (failed > 0) {
    next_limit_ = static_cast<int>(failed);  // apply the good prefix first
    decision.action = RetryDecision::Action::kNarrow;
    return decision;
  }
  if (attempts < options_.max_attempts) {
    next_limit_ = 1;
    decision.action = RetryDecision::Action::kRetry;
    decision.backoff = std::min(options_.initial_backoff * (1 << std::min(attempts - 1, 16)),
                                options_.max_backoff);
    return decision;
  }
  attempts_.erase(positions[failed]);
  next_limit_ = options_.batch_size;
  decision.action = RetryDecision::Action::kPark;
  return decision;
}

void RetryPolicy::OnCommitted(const std::vector<int64_t>& positions) {
  next_limit_ = options_.batch_size;
  for (int64_t position : positions) {
    if (attempts_.empty()) break;
    attempts_.erase(position);
  }
}

void RetryPolicy::Reset() {
  attempts_.clear();
  next_limit_ = options_.batch_size;
}

}  // namespace ordo::store
