// Fires due timers: claim, fire outside any transaction, finish or retry.
#include "store/subscription/timer_poller.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/log.h"

namespace ordo::store {

TimerPoller::TimerPoller(TimerStore& store, std::string owner, Fire fire,
                         TimerPollerOptions options)
    : store_(store), owner_(std::move(owner)), fire_(std::move(fire)), options_(options) {}

TimerPoller::~TimerPoller() { Stop(); }

void TimerPoller::Start() {
  thread_ = std::thread([this] { Run(); });
}

void TimerPoller::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

bool TimerPoller::WaitForStop(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(&stopping_), timeout);
  return stopping_;
}

void TimerPoller::Run() {
  std::string last_error;
  for (;;) {
    absl::StatusOr<std::vector<Timer>> due =
        store_.ClaimDue(owner_, options_.batch_size, options_.claim_for);
    if (!due.ok()) {
      if (due.status().ToString() != last_error) {
        last_error = due.status().ToString();
        LogLine(absl::StrCat("timers of ", owner_, ": ", due.status().message(), "; retrying"));
      }
      if (WaitForStop(absl::Seconds(1))) return;
      continue;
    }
    last_error.clear();
    for (const Timer& timer : *due) {
      absl::Status fired = fire_(timer);
      if (fired.ok()) {
        (void)store_.Done(timer);  // else the claim lapses and it fires again: idempotent
        continue;
      }
      const absl::Duration backoff =
          std::min(options_.max_backoff, absl::Milliseconds(100) * (1 << std::min(timer.attempts, 10)));
      LogLine(absl::StrCat("timer ", timer.key.kind, " of ", timer.key.instance, " (attempt ",
                           timer.attempts, "): ", fired.message(), "; again in ",
                           absl::FormatDuration(backoff)));
      (void)store_.Retry(timer, backoff, std::string(fired.message()));
    }
    if (static_cast<int>(due->size()) == options_.batch_size) continue;
    if (WaitForStop(options_.poll_interval)) return;
  }
}

}  // namespace ordo::store
