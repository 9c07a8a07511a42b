// The parts of the command pipeline that do not depend on the aggregate: request-id rules,
// event metadata, which failures a recorded request may explain, back-off between
// conflicting attempts, and the per-stream turn-taking of one process.
#ifndef ORDO_COMMAND_HANDLER_COMMAND_PIPELINE_H_
#define ORDO_COMMAND_HANDLER_COMMAND_PIPELINE_H_

#include <optional>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "command/handler/command_context.h"

namespace ordo::command {

// INVALID_ARGUMENT naming request_id or expected_version when they are out of bounds.
absl::Status ValidateContext(const CommandContext& context);

// The metadata stored with every event of one command, as JSON.
std::string MetadataJson(const char* command_name, const CommandContext& context,
                         const std::string& request_id);

// True for errors that an earlier or concurrent call with the same request_id can cause
// (its effect is visible now), as opposed to the database failing.
bool MayBeExplainedByRecordedRequest(const absl::Status& status);

// A short, jittered, growing pause before conflicting attempt number `attempt`.
void BackOff(int attempt);

// Commands on one stream in this process take turns, so they do not conflict with each
// other; conflicts with other processes are still caught by the store. A turn is held
// from the decision until its append's outcome is known, which may be on another thread
// (the batch's): a Turn is a movable claim, released when destroyed. Thread-safe.
class StreamTurns {
 public:
  class Turn {
   public:
    Turn() = default;
    Turn(Turn&& other) noexcept { *this = std::move(other); }
    Turn& operator=(Turn&& other) noexcept;
    ~Turn() { Release(); }
    // Ends the turn now; the next command on the stream may start.
    void Release();

   private:
    friend class StreamTurns;
    Turn(StreamTurns* turns, std::string stream_id)
        : turns_(turns), stream_id_(std::move(stream_id)) {}
    StreamTurns* turns_ = nullptr;
    std::string stream_id_;
  };

  // Waits for the stream's turn.
  Turn Claim(const std::string& stream_id) ABSL_LOCKS_EXCLUDED(mu_);
  // The stream's turn if no one holds it; nullopt otherwise. Never waits.
  std::optional<Turn> TryClaim(const std::string& stream_id) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Release(const std::string& stream_id) ABSL_LOCKS_EXCLUDED(mu_);

  absl::Mutex mu_;
  absl::flat_hash_set<std::string> held_ ABSL_GUARDED_BY(mu_);
  int waiting_ ABSL_GUARDED_BY(mu_) = 0;  // callers of Claim waiting for a turn
  absl::CondVar released_;
};

}  // namespace ordo::command

#endif  // ORDO_COMMAND_HANDLER_COMMAND_PIPELINE_H_
