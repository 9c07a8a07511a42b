// Runs one subscriber (DESIGN §4, §5, §10): wins its leader lease so only one runner across
// all processes handles it (a standby takes over when the holder's session ends), then
// tails the log through the subscriber's filter in batches, each one transaction that
// hands the events to the subscriber and moves the checkpoint by compare-and-set. Wakes on
// LISTEN with a poll as safety net; beats a heartbeat. A batch the subscriber cannot handle
// for want of something out of reach (UNAVAILABLE: its broker) is retried with backoff and
// never parked. A failing event is retried and then parked by stream (RetryPolicy,
// dead_letter_store). Replays and rebuilds requested by operators are carried out here,
// through the same checkpointed path. While the checkpoint is being rebuilt, an event that
// cannot be handled stops the subscriber in state failed. Owns one thread and three
// connections (lease, batches, read-ahead); the subscriber must outlive the runner.
#ifndef ORDO_STORE_SUBSCRIPTION_SUBSCRIPTION_RUNNER_H_
#define ORDO_STORE_SUBSCRIPTION_SUBSCRIPTION_RUNNER_H_

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>

#include <atomic>
#include <optional>
#include <pqxx/connection>
#include <set>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/stop_signal.h"
#include "store/subscription/checkpoint_store.h"
#include "store/subscription/leader_lease.h"
#include "store/subscription/retry_policy.h"
#include "store/subscription/subscriber.h"
#include "store/subscription/tail_prefetch.h"

namespace ordo::store {

struct SubscriptionRunnerOptions {
  int batch_size = 1000;
  absl::Duration poll_interval = absl::Milliseconds(500);
  // Under a steady stream of appends, batches that handled events start at least this far
  // apart, so that each carries more events and its fixed costs (transaction, tail read,
  // checkpoint) are shared; the first wake-up after a quiet spell is handled at once. The
  // price is up to this much more delay while the stream is steady. Catch-up (full batches)
  // never waits.
  absl::Duration min_batch_interval = absl::ZeroDuration();
  // Attempts at one event before it is parked.
  int max_attempts = 5;
  absl::Duration initial_backoff = absl::Milliseconds(20);
  absl::Duration max_backoff = absl::Seconds(2);
  // How long a standby waits in the lease's lock before it looks whether to stop (it takes
  // over at once when the holder dies), and how long to wait after a failed attempt.
  absl::Duration standby_retry = absl::Seconds(1);
};

class SubscriptionRunner {
 public:
  SubscriptionRunner(std::string connection_string, Subscriber& subscriber,
                     SubscriptionRunnerOptions options = {});
  ~SubscriptionRunner();  // stops and joins
  SubscriptionRunner(const SubscriptionRunner&) = delete;
  SubscriptionRunner& operator=(const SubscriptionRunner&) = delete;

  void Start();
  void Stop();

  // True while this runner holds the subscriber's lease.
  bool is_active() const { return active_; }

 private:
  void Run();
  // Handles the log while `lease` is held; returns when it is lost or on Stop().
  void Lead(LeaderLease& lease);
  // One batch; true when another should follow at once (a full batch, or a failure being
  // narrowed down), false when the tail is drained (wait for a notification or the poll).
  absl::StatusOr<bool> Step(pqxx::connection& connection, TailPrefetch& prefetch);
  // After batches with nothing for this subscriber and before the next heartbeat: reads on
  // from there in one statement, outside a transaction. False when again there was nothing
  // to handle (the wake-up ends there), true when a Step should follow (with the batch).
  absl::StatusOr<bool> Peek(pqxx::connection& connection);
  // After a failed batch: narrow, back off, or park (or fail a rebuild).
  absl::Status HandleFailure(pqxx::connection& connection, const Checkpoint& checkpoint,
                             const std::vector<RecordedEvent>& events, const HandleResult& result);
  absl::Status ProcessReplays(pqxx::connection& connection);
  // Empties what the subscriber built and resets its checkpoint, or drops the request when
  // it cannot be rebuilt; commits `tx`.
  void CarryOutRebuildRequest(pqxx::work& tx);
  void Log(const std::string& message) const;

  const std::string connection_string_;
  Subscriber& subscriber_;
  const SubscriberFilter filter_;
  const SubscriptionRunnerOptions options_;

  // Runner-thread state.
  RetryPolicy retry_;
  std::set<std::string> parked_streams_;
  absl::Time next_replay_check_ = absl::InfinitePast();
  absl::Time next_heartbeat_ = absl::InfinitePast();
  // When the last batch that handled events started (see min_batch_interval).
  absl::Time last_batch_started_ = absl::InfinitePast();
  // The events after the stored checkpoint `from`, up to `to`, were read and none was for
  // this subscriber: while the checkpoint is still at `from` (it moves past them once a
  // heartbeat), reading resumes at `to` instead of reading them all again on every wake-up.
  struct Skipped {
    LogPosition from;
    LogPosition to;
  };
  std::optional<Skipped> skipped_;
  // A batch read by Peek() from skipped_->to that has events to handle, for the Step after.
  std::optional<TailBatch> peeked_;
  // The checkpoint row as this runner's last committed batch left it (the next batch need
  // not read it); empty after anything else, so the next batch reads the row.
  std::optional<Checkpoint> known_checkpoint_;
  // While the subscriber reports UNAVAILABLE: the pause before the next try, the last error.
  absl::Duration unavailable_backoff_ = absl::ZeroDuration();
  std::string unavailable_error_;

  std::atomic<bool> active_{false};
  // This runner's series (DESIGN §13); the lag gauges come from the database instead.
  prometheus::Gauge& active_gauge_;
  prometheus::Counter& handled_;
  prometheus::Histogram& batch_seconds_;
  StopSignal stop_;
  std::thread thread_;
};

}  // namespace ordo::store

#endif  // ORDO_STORE_SUBSCRIPTION_SUBSCRIPTION_RUNNER_H_
