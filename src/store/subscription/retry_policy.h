// What the subscriber runtime does when a batch fails (DESIGN §5), as a pure policy with no
// I/O: narrow the batch down to the failing event (apply the good prefix first), retry that
// event with exponential backoff, and after max_attempts park it. The database being down
// is never the event's fault: the runner retries the batch without counting it. Used by
// one thread.
#ifndef ORDO_STORE_SUBSCRIPTION_RETRY_POLICY_H_
#define ORDO_STORE_SUBSCRIPTION_RETRY_POLICY_H_

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "absl/time/time.h"

namespace ordo::store {

struct RetryOptions {
  int batch_size = 1000;
  // Attempts at one event before it is parked.
  int max_attempts = 5;
  absl::Duration initial_backoff = absl::Milliseconds(20);
  absl::Duration max_backoff = absl::Seconds(2);
};

struct RetryDecision {
  enum class Action {
    kNarrow,  // run the next batch with next_limit events (no pause)
    kRetry,   // wait `backoff`, then try the failing event alone again
    kPark,    // give up on the event at `index`: park it (after `attempts` attempts)
  };
  Action action = Action::kNarrow;
  size_t index = 0;
  int attempts = 0;
  absl::Duration backoff = absl::ZeroDuration();
};

class RetryPolicy {
 public:
  explicit RetryPolicy(RetryOptions options) : options_(options), next_limit_(options.batch_size) {}

  // The size of the next batch: the full size, or smaller while a failure is narrowed down.
  int next_limit() const { return next_limit_; }

  // A batch of `batch_size` events failed, at `failed_index` when the error is tied to one
  // event; `positions[i]` is the global position of event i.
  RetryDecision OnFailure(const std::vector<int64_t>& positions,
                          std::optional<size_t> failed_index);

  // A batch committed (or an event was parked): its events' attempts are forgotten.
  void OnCommitted(const std::vector<int64_t>& positions);

  // Everything forgotten (the checkpoint was reset).
  void Reset();

 private:
  const RetryOptions options_;
  int next_limit_;
  std::map<int64_t, int> attempts_;  // by the failing event's global position
};

}  // namespace ordo::store

#endif  // ORDO_STORE_SUBSCRIPTION_RETRY_POLICY_H_
