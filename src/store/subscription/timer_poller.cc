// Fires due timers: claim, fire outside any transaction, finish or retry.
#include "store/subscription/timer_poller.h"

#include <algorithm>
#include <memory>
#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/blocking_counter.h"
#include "common/log.h"
#include "common/trace_context.h"
#include "store/pg/pg_status.h"

namespace ordo::store {

TimerPoller::TimerPoller(std::string connection_string, std::string owner, Fire fire,
                         TimerPollerOptions options)
    : connection_string_(std::move(connection_string)),
      owner_(std::move(owner)),
      fire_(std::move(fire)),
      options_(options),
      workers_(options.parallelism) {}

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

void TimerPoller::Wake() {
  absl::MutexLock lock(&mu_);
  woken_ = true;
}

bool TimerPoller::WaitForStopOrWake(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto stop_or_wake = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_ || woken_; };
  mu_.AwaitWithTimeout(absl::Condition(&stop_or_wake), timeout);
  woken_ = false;
  return stopping_;
}

size_t TimerPoller::FireDue(pqxx::connection& connection) {
  const std::vector<Timer> due =
      timer_store::ClaimDue(connection, owner_, options_.batch_size, options_.claim_for);
  // Fired at once; their outcomes recorded after, on this poller's connection.
  std::vector<absl::Status> outcomes(due.size());
  absl::BlockingCounter done(static_cast<int>(due.size()));
  for (size_t i = 0; i < due.size(); ++i) {
    workers_.Post([this, &due, &outcomes, &done, i] {
      outcomes[i] = fire_(due[i]);
      done.DecrementCount();
    });
  }
  done.Wait();
  for (size_t i = 0; i < due.size(); ++i) {
    const Timer& timer = due[i];
    const absl::Status& fired = outcomes[i];
    if (fired.ok()) {
      timer_store::Done(connection, timer);
      continue;
    }
    const absl::Duration backoff = std::min(
        options_.max_backoff, absl::Milliseconds(100) * (1 << std::min(timer.attempts, 10)));
    const std::optional<TraceContext> trace = ParseTraceparent(timer.traceparent);
    Log(LogLevel::kWarning,
        absl::StrCat("timer ", timer.key.kind, " of ", timer.key.instance, " (attempt ",
                     timer.attempts, "): ", fired.message(), "; again in ",
                     absl::FormatDuration(backoff)),
        LogContext{timer.correlation_id, timer.causation_id, trace ? trace->trace_id : ""});
    timer_store::Retry(connection, timer, backoff, std::string(fired.message()));
  }
  return due.size();
}

void TimerPoller::Run() {
  std::string last_error;
  std::unique_ptr<pqxx::connection> connection;
  for (;;) {
    absl::StatusOr<size_t> fired = GuardPq("timers", [&]() -> absl::StatusOr<size_t> {
      if (!connection || !connection->is_open()) {
        connection = std::make_unique<pqxx::connection>(connection_string_);
      }
      return FireDue(*connection);
    });
    if (!fired.ok()) {
      // A timer whose outcome was not recorded stays claimed until this session is gone.
      connection.reset();
      if (fired.status().ToString() != last_error) {
        last_error = fired.status().ToString();
        LogLine(absl::StrCat("timers of ", owner_, ": ", fired.status().message(), "; retrying"));
      }
      if (WaitForStopOrWake(absl::Seconds(1))) return;
      continue;
    }
    last_error.clear();
    if (*fired == static_cast<size_t>(options_.batch_size)) continue;
    if (WaitForStopOrWake(options_.poll_interval)) return;
  }
}

}  // namespace ordo::store
