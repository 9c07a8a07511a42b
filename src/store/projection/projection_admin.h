// Operating projections from outside their runners: status and lag, dead letters (list,
// replay, discard), rebuild requests, checkpoints for consistency tokens, and the
// re-baseline after a dump/restore. Thread-safe; the pool must outlive it.
#ifndef ORDO_STORE_PROJECTION_PROJECTION_ADMIN_H_
#define ORDO_STORE_PROJECTION_PROJECTION_ADMIN_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "store/log/log_position.h"
#include "store/pg/connection_pool.h"
#include "store/subscription/checkpoint_store.h"
#include "store/subscription/dead_letter_store.h"

namespace ordo::store {

struct ProjectionStatus {
  std::string name;
  LogPosition checkpoint;
  CheckpointState state = CheckpointState::kRunning;
  std::string last_error;
  int64_t events_behind = 0;
  double seconds_behind = 0;  // age of the oldest event not yet applied
  std::optional<absl::Time> last_heartbeat;
  int64_t parked = 0;              // open dead letters
  int64_t parked_streams = 0;      // streams with an open dead letter
  bool rebuild_requested = false;  // and not yet carried out by the runner
};

struct ProjectionsOverview {
  std::vector<ProjectionStatus> projections;
  // Age of the oldest open transaction in the cluster: it holds every projection back.
  double oldest_open_transaction_seconds = 0;
};

class ProjectionAdmin {
 public:
  explicit ProjectionAdmin(ConnectionPool& pool) : pool_(pool) {}

  absl::StatusOr<ProjectionsOverview> Overview(absl::Time deadline);

  // Open ones (parked, replay_requested) unless include_resolved; all projections when
  // `projection` is empty. Oldest first.
  absl::StatusOr<std::vector<DeadLetter>> ListDeadLetters(const std::string& projection,
                                                          bool include_resolved,
                                                          absl::Time deadline);

  // Asks the runner to re-apply every open dead letter of this one's stream, in stream
  // order. NOT_FOUND / FAILED_PRECONDITION (not open). Returns the affected letters.
  absl::StatusOr<std::vector<DeadLetter>> RequestReplay(int64_t id, absl::Time deadline);

  // Gives up on one parked event, recording why. INVALID_ARGUMENT without a reason.
  absl::StatusOr<DeadLetter> Discard(int64_t id, const std::string& reason, absl::Time deadline);

  // Asks the projection's runner for a rebuild: when it next looks (at once when it is
  // running) it empties the projection's tables and resets its checkpoint in one
  // transaction, closes the open dead letters as superseded, and catches up from the start
  // in state 'rebuilding'. FAILED_PRECONDITION when the projection has never run.
  absl::Status RequestRebuild(const std::string& name, absl::Time deadline);

  // The projection's checkpoint; NOT_FOUND before its runner first started.
  absl::StatusOr<LogPosition> Checkpoint(const std::string& name, absl::Time deadline);

  // Waits until the projection's checkpoint is at or past `target` (read-your-writes).
  // DEADLINE_EXCEEDED naming consistency_token when it is not by `deadline`.
  absl::Status WaitForCheckpoint(const std::string& name, const LogPosition& target,
                                 absl::Time deadline);

  // WaitForCheckpoint for a request's consistency token; OK at once when `token` is empty.
  // INVALID_ARGUMENT naming consistency_token when it is malformed.
  absl::Status WaitForToken(const std::string& name, const std::string& token, absl::Time deadline);

  // After a dump/restore: makes new transaction ids sort after every stored one. Run with
  // no writer active; restart the services afterwards. Returns what it did.
  absl::StatusOr<std::string> Rebaseline(absl::Time deadline);

 private:
  ConnectionPool& pool_;
};

}  // namespace ordo::store

#endif  // ORDO_STORE_PROJECTION_PROJECTION_ADMIN_H_
