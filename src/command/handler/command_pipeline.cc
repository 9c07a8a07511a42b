// The aggregate-independent parts of the command pipeline.
#include "command/handler/command_pipeline.h"

#include <algorithm>
#include <functional>
#include <optional>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "command/domain/text_rules.h"
#include "common/trace_context.h"
#include "events/event_metadata.h"

namespace ordo::command {
namespace {

constexpr size_t kMaxRequestIdChars = 64;

}  // namespace

absl::Status ValidateContext(const CommandContext& context) {
  std::optional<size_t> chars = domain::CountCharacters(context.request_id);
  if (!chars || *chars > kMaxRequestIdChars) {
    return absl::InvalidArgumentError(
        absl::StrCat("request_id: must be valid UTF-8 without NUL, at most ", kMaxRequestIdChars,
                     " characters"));
  }
  if (context.expected_version && *context.expected_version < 0) {
    return absl::InvalidArgumentError("expected_version: must be 0 or more");
  }
  return absl::OkStatus();
}

std::string MetadataJson(const char* command_name, const CommandContext& context,
                         const std::string& request_id) {
  const TraceContext trace = context.trace.trace_id.empty() ? NewTrace() : context.trace;
  return events::EventMetadataJson(
      {command_name, request_id, context.correlation_id,
       context.causation_id.empty() ? request_id : context.causation_id, context.peer,
       trace.traceparent(), trace.trace_id});
}

bool MayBeExplainedByRecordedRequest(const absl::Status& status) {
  return !absl::IsUnavailable(status) && !absl::IsDeadlineExceeded(status) &&
         !absl::IsInternal(status) && !absl::IsDataLoss(status);
}

void BackOff(int attempt) {
  thread_local absl::BitGen gen;
  const int64_t ceiling_us = std::min<int64_t>(50000, 500LL << std::min(attempt, 7));
  absl::SleepFor(absl::Microseconds(absl::Uniform<int64_t>(gen, 0, ceiling_us)));
}

absl::Mutex& StreamTurns::For(const std::string& stream_id) {
  return stripes_[std::hash<std::string>{}(stream_id) % stripes_.size()];
}

}  // namespace ordo::command
