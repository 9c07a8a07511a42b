// Runs one projection: wins a session-level advisory lock so only one runner across all
// processes applies it (a standby takes over when the holder's session ends), then tails
// the log in batches, each batch one transaction that applies the events and moves the
// checkpoint by compare-and-set. Wakes on LISTEN ordo_events with a poll as safety net.
// Poison events are retried with backoff, then parked by stream in dead_letters; replays
// requested through ProjectionAdmin go through the same checkpointed path. During a
// rebuild an event that cannot be applied stops the projection in state 'failed'.
// Owns one thread and two connections; the projection must outlive the runner.
#ifndef ORDO_STORE_PROJECTION_PROJECTION_RUNNER_H_
#define ORDO_STORE_PROJECTION_PROJECTION_RUNNER_H_

#include <atomic>
#include <map>
#include <memory>
#include <pqxx/connection>
#include <set>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "store/log/log_position.h"
#include "store/projection/projection.h"
#include "store/subscription/tail_prefetch.h"

namespace ordo::store {

struct ProjectionRunnerOptions {
  int batch_size = 1000;
  absl::Duration poll_interval = absl::Milliseconds(500);
  // Attempts at one event before it is parked.
  int max_attempts = 5;
  absl::Duration initial_backoff = absl::Milliseconds(20);
  absl::Duration max_backoff = absl::Seconds(2);
  // How often a standby tries to take the lock.
  absl::Duration standby_retry = absl::Seconds(1);
};

class ProjectionRunner {
 public:
  ProjectionRunner(std::string connection_string, Projection& projection,
                   ProjectionRunnerOptions options = {});
  ~ProjectionRunner();  // stops and joins
  ProjectionRunner(const ProjectionRunner&) = delete;
  ProjectionRunner& operator=(const ProjectionRunner&) = delete;

  void Start();
  void Stop();

  // True while this runner holds the projection's lock.
  bool is_active() const { return active_; }

 private:
  struct Checkpoint {
    LogPosition position;
    std::string state;
  };

  void Run();
  // Holds the lock until it is lost or Stop(); returns to standby then.
  void Lead(pqxx::connection& lock_connection);
  // One batch; true when another should follow at once (a full batch, or a failure being
  // narrowed down), false when the tail is drained (wait for a notification or the poll).
  absl::StatusOr<bool> Step(pqxx::connection& connection, TailPrefetch& prefetch);
  // Handles a failed batch of `events` at index `failed` (events.size(): not tied to one).
  absl::Status HandleFailure(pqxx::connection& connection, const Checkpoint& checkpoint,
                             const std::vector<RecordedEvent>& events, size_t failed,
                             const absl::Status& error);
  absl::Status ProcessReplays(pqxx::connection& connection);
  absl::Status RefreshParkedStreams(pqxx::connection& connection);
  bool WaitForStop(absl::Duration timeout);

  const std::string connection_string_;
  Projection& projection_;
  const ProjectionRunnerOptions options_;

  // Runner-thread state.
  std::set<std::string> parked_streams_;
  std::map<int64_t, int> attempts_;  // by global_position of a failing event
  int next_limit_;                   // batch size of the next step (shrinks to isolate)
  LogPosition last_seen_;
  absl::Time next_replay_check_ = absl::InfinitePast();
  absl::Time next_heartbeat_ = absl::InfinitePast();

  std::atomic<bool> active_{false};
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace ordo::store

#endif  // ORDO_STORE_PROJECTION_PROJECTION_RUNNER_H_
