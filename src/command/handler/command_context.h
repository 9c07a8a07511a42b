// Everything about a command that is not the command itself, and what an accepted command
// answers: shared by every aggregate's pipeline and its gRPC service.
#ifndef ORDO_COMMAND_HANDLER_COMMAND_CONTEXT_H_
#define ORDO_COMMAND_HANDLER_COMMAND_CONTEXT_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "common/trace_context.h"
#include "store/log/log_position.h"

namespace ordo::command {

struct CommandContext {
  // Idempotency key; empty: one is made for the metadata and nothing is deduplicated.
  std::string request_id;
  // Identifies the request's content; a request_id reused for other content is refused.
  std::string fingerprint;
  std::optional<int32_t> expected_version;
  std::string correlation_id;
  std::string causation_id;  // empty: the request_id
  std::string peer;
  // W3C trace context of this command's span (DESIGN §13); an empty trace_id: a new trace
  // is started for its events.
  TraceContext trace;
  absl::Time deadline = absl::InfiniteFuture();
};

// `Summary` is what the aggregate's traits report of the state after the command (for the
// reply); empty for aggregates whose reply needs none.
template <typename Summary>
struct CommandOutcome {
  std::string stream_id;
  int32_t version = 0;          // the stream's version after the command; 0: no stream
  store::LogPosition position;  // of the stream's last event: the consistency token
  Summary summary;
};

}  // namespace ordo::command

#endif  // ORDO_COMMAND_HANDLER_COMMAND_CONTEXT_H_
