// The subscriber_checkpoints rows (table projection_checkpoints): per subscriber, the last
// handled log position, its state, heartbeat and last error. Every change is a statement in
// the caller's transaction; advancing is a compare-and-set, so a second runner that slipped
// past leader election cannot move a checkpoint it did not read.
#ifndef ORDO_STORE_SUBSCRIPTION_CHECKPOINT_STORE_H_
#define ORDO_STORE_SUBSCRIPTION_CHECKPOINT_STORE_H_

#include <optional>
#include <pqxx/transaction_base>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "store/log/log_position.h"

namespace ordo::store {

// The values of projection_checkpoints.state (a CHECK constraint holds them to these).
enum class CheckpointState {
  kRunning,     // handling the log as it grows
  kRebuilding,  // reset, catching up from the start
  kFailed,      // a rebuild met an event it cannot handle; see last_error
};

const char* ToSql(CheckpointState state);
std::optional<CheckpointState> CheckpointStateFromSql(const std::string& text);

struct Checkpoint {
  LogPosition position;
  CheckpointState state = CheckpointState::kRunning;
  // An operator asked for a rebuild that the subscriber's runner has not carried out yet.
  bool rebuild_requested = false;
};

namespace checkpoint_store {

// Makes the row at (0, 0), running, unless it exists.
void Ensure(pqxx::transaction_base& tx, const std::string& name);
// As Ensure, but a new checkpoint starts at the last event visible now: the subscriber sees
// only what is appended after it first ran.
void EnsureAtHead(pqxx::transaction_base& tx, const std::string& name);

// NOT_FOUND before Ensure.
absl::StatusOr<Checkpoint> Read(pqxx::transaction_base& tx, const std::string& name);

// Moves the checkpoint from `from` to `to` (and beats the heart) and returns the row as it
// is now (so that a runner need not read it before its next batch); ABORTED unless exactly
// one row was at `from`.
absl::StatusOr<Checkpoint> Advance(pqxx::transaction_base& tx, const std::string& name,
                                   const LogPosition& from, const LogPosition& to);

void Heartbeat(pqxx::transaction_base& tx, const std::string& name);

// rebuilding -> running.
void FinishRebuild(pqxx::transaction_base& tx, const std::string& name);

// -> failed, with the reason.
void Fail(pqxx::transaction_base& tx, const std::string& name, const std::string& error);

// Back to (0, 0), rebuilding; the rebuild request, if any, is carried out.
void ResetForRebuild(pqxx::transaction_base& tx, const std::string& name);

// Records that an operator wants the subscriber rebuilt; its runner does it (DESIGN §14:
// the caller needs no right to the subscriber's tables). False when there is no checkpoint.
bool RequestRebuild(pqxx::transaction_base& tx, const std::string& name);

// Drops a request the subscriber cannot carry out.
void DropRebuildRequest(pqxx::transaction_base& tx, const std::string& name);

}  // namespace checkpoint_store
}  // namespace ordo::store

#endif  // ORDO_STORE_SUBSCRIPTION_CHECKPOINT_STORE_H_
