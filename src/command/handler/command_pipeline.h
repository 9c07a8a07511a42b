// The parts of the command pipeline that do not depend on the aggregate: request-id rules,
// event metadata, which failures a recorded request may explain, back-off between
// conflicting attempts, and the per-stream turn-taking of one process.
#ifndef ORDO_COMMAND_HANDLER_COMMAND_PIPELINE_H_
#define ORDO_COMMAND_HANDLER_COMMAND_PIPELINE_H_

#include <array>
#include <string>

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
// other; conflicts with other processes are still caught by the store. Thread-safe.
class StreamTurns {
 public:
  absl::Mutex& For(const std::string& stream_id);

 private:
  std::array<absl::Mutex, 256> stripes_;
};

}  // namespace ordo::command

#endif  // ORDO_COMMAND_HANDLER_COMMAND_PIPELINE_H_
