// The aggregate-independent parts of the command pipeline.
#include "command/handler/command_pipeline.h"

#include <algorithm>
#include <optional>
#include <utility>

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

StreamTurns::Turn& StreamTurns::Turn::operator=(Turn&& other) noexcept {
  if (this != &other) {
    Release();
    turns_ = std::exchange(other.turns_, nullptr);
    stream_id_ = std::move(other.stream_id_);
  }
  return *this;
}

void StreamTurns::Turn::Release() {
  if (turns_ != nullptr) std::exchange(turns_, nullptr)->Release(stream_id_);
}

StreamTurns::Turn StreamTurns::Claim(const std::string& stream_id) {
  absl::MutexLock lock(&mu_);
  ++waiting_;
  while (!held_.insert(stream_id).second) released_.Wait(&mu_);
  --waiting_;
  return Turn(this, stream_id);
}

std::optional<StreamTurns::Turn> StreamTurns::TryClaim(const std::string& stream_id) {
  absl::MutexLock lock(&mu_);
  if (!held_.insert(stream_id).second) return std::nullopt;
  return Turn(this, stream_id);
}

void StreamTurns::Release(const std::string& stream_id) {
  absl::MutexLock lock(&mu_);
  held_.erase(stream_id);
  // Waiters are few (a busy stream, or a command that could not be decided at once); each
  // looks again whether its own stream is free.
  if (waiting_ > 0) released_.SignalAll();
}

}  // namespace ordo::command
