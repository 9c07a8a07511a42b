// The write path of one command: load, decide, append, record the request.
#include "command/command_handler.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <functional>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "command/domain/order.h"
#include "command/domain/order_decider.h"
#include "command/domain/order_validation.h"
#include "command/domain/text_rules.h"
#include "command/order_event_codec.h"
#include "common/ids.h"
#include "common/status_macros.h"

namespace ordo::command {
namespace {

constexpr size_t kMaxRequestIdChars = 64;

const char* CommandName(const domain::OrderCommand& command) {
  static constexpr const char* kNames[] = {"CreateOrder",  "AddItem",   "RemoveItem",
                                           "ConfirmOrder", "ShipOrder", "CancelOrder"};
  return kNames[command.index()];
}

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

std::string MetadataJson(const domain::OrderCommand& command, const CommandContext& context,
                         const std::string& request_id) {
  google::protobuf::Struct metadata;
  auto& fields = *metadata.mutable_fields();
  fields["command"].set_string_value(CommandName(command));
  fields["request_id"].set_string_value(request_id);
  fields["correlation_id"].set_string_value(context.correlation_id);
  fields["causation_id"].set_string_value(context.causation_id.empty() ? request_id
                                                                       : context.causation_id);
  fields["peer"].set_string_value(context.peer);
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(metadata, &json);
  return json;
}

// True for errors that an earlier or concurrent call with the same request_id can cause
// (its effect is visible now), as opposed to the database failing.
bool MayBeTwinsLoss(const absl::Status& status) {
  return !absl::IsUnavailable(status) && !absl::IsDeadlineExceeded(status) &&
         !absl::IsInternal(status) && !absl::IsDataLoss(status);
}

// Short, jittered, growing pause between conflicting attempts.
void BackOff(int attempt) {
  thread_local absl::BitGen gen;
  const int64_t ceiling_us = std::min<int64_t>(50000, 500LL << std::min(attempt, 7));
  absl::SleepFor(absl::Microseconds(absl::Uniform<int64_t>(gen, 0, ceiling_us)));
}

}  // namespace

absl::Mutex& OrderCommandHandler::StripeFor(const std::string& order_id) {
  return stripes_[std::hash<std::string>{}(order_id) % stripes_.size()];
}

absl::StatusOr<std::optional<CommandOutcome>> OrderCommandHandler::FindRecorded(
    const CommandContext& context) {
  if (context.request_id.empty()) return std::optional<CommandOutcome>();
  absl::StatusOr<store::RecordedRequest> found =
      store_.FindRequest(context.request_id, context.deadline);
  if (absl::IsNotFound(found.status())) return std::optional<CommandOutcome>();
  if (!found.ok()) return found.status();
  if (found->fingerprint != context.fingerprint) {
    return absl::InvalidArgumentError(absl::StrCat("request_id: ", context.request_id,
                                                   " was already used for a different request"));
  }
  return std::optional<CommandOutcome>(
      CommandOutcome{found->result.stream_id, found->result.version, found->result.position});
}

absl::StatusOr<CommandOutcome> OrderCommandHandler::Handle(domain::OrderCommand command,
                                                           const CommandContext& context) {
  ORDO_RETURN_IF_ERROR(ValidateContext(context));
  if (auto* create = std::get_if<domain::CreateOrder>(&command);
      create != nullptr && create->order_id.empty()) {
    create->order_id = NewUuid();
  }
  ORDO_RETURN_IF_ERROR(domain::ValidateCommand(command));

  // No look-up of the request_id first: a repeat is caught by the append (the request is
  // recorded in the same statement) or by the decision, and answered from the record.
  const std::string request_id = context.request_id.empty() ? NewUuid() : context.request_id;
  const std::string metadata_json = MetadataJson(command, context, request_id);
  for (int attempt = 1;; ++attempt) {
    absl::StatusOr<CommandOutcome> outcome =
        Attempt(command, context, metadata_json, /*fresh=*/attempt > 1);
    if (outcome.ok() || !MayBeTwinsLoss(outcome.status())) return outcome;
    // This request_id may have been applied before (a retry) or meanwhile (a twin): then
    // the append conflicted, or the decision saw its effect, and the record is the answer.
    ORDO_ASSIGN_OR_RETURN(std::optional<CommandOutcome> recorded, FindRecorded(context));
    if (recorded) return *recorded;
    if (!absl::IsAborted(outcome.status()) || context.expected_version) return outcome;
    if (attempt >= options_.max_attempts) {
      return absl::AbortedError(absl::StrCat("order ", domain::TargetOrderId(command),
                                             ": gave up after ", attempt,
                                             " conflicting attempts; retry the request"));
    }
    if (absl::Now() >= context.deadline) {
      return absl::DeadlineExceededError("deadline passed while retrying a conflicting append");
    }
    if (attempt > 1) BackOff(attempt);
  }
}

absl::StatusOr<domain::Order> OrderCommandHandler::LoadOrder(const std::string& order_id,
                                                             absl::Time deadline) {
  ORDO_ASSIGN_OR_RETURN(std::vector<store::RecordedEvent> history,
                        store_.ReadStream(order_id, 1, deadline));
  domain::Order order;
  for (const store::RecordedEvent& recorded : history) {
    ORDO_ASSIGN_OR_RETURN(ordo::v1::OrderEvent event, DecodeOrderEvent(recorded));
    domain::Apply(order, event);
  }
  return order;
}

absl::StatusOr<CommandOutcome> OrderCommandHandler::Attempt(const domain::OrderCommand& command,
                                                            const CommandContext& context,
                                                            const std::string& metadata_json,
                                                            bool fresh) {
  const std::string& order_id = domain::TargetOrderId(command);
  absl::MutexLock stripe(&StripeFor(order_id));

  // The cached committed state, or for a new order none at all: a stale guess costs a
  // conflict and a fresh attempt, never a wrong write (the append names the version).
  std::optional<domain::Order> known = fresh ? std::nullopt : cache_.Get(order_id);
  if (!known && !fresh && std::holds_alternative<domain::CreateOrder>(command)) {
    known = domain::Order{};
  }
  bool from_store = !known.has_value();
  domain::Order order;
  if (known) {
    order = *std::move(known);
  } else {
    ORDO_ASSIGN_OR_RETURN(order, LoadOrder(order_id, context.deadline));
  }
  absl::StatusOr<std::vector<ordo::v1::OrderEvent>> decided;
  for (;;) {
    absl::Status verdict;
    if (context.expected_version && *context.expected_version != order.version) {
      verdict = absl::AbortedError(absl::StrCat("expected_version ", *context.expected_version,
                                                " but order ", order_id, " is at version ",
                                                order.version));
    } else {
      decided = domain::Decide(order, command);
      verdict = decided.status();
    }
    if (verdict.ok()) break;
    // Only a refusal based on the stored state counts: the cache may lag another process.
    if (from_store) return verdict;
    ORDO_ASSIGN_OR_RETURN(order, LoadOrder(order_id, context.deadline));
    from_store = true;
  }

  store::AppendRequest append;
  append.stream_id = order_id;
  append.stream_type = kOrderStreamType;
  append.expected_version = order.version;
  append.metadata_json = metadata_json;
  if (!context.request_id.empty()) {
    append.request = store::RequestKey{context.request_id, context.fingerprint};
  }
  for (const ordo::v1::OrderEvent& event : *decided) {
    ORDO_ASSIGN_OR_RETURN(store::NewEvent stored, EncodeOrderEvent(event));
    append.events.push_back(std::move(stored));
  }
  absl::StatusOr<store::AppendResult> appended = store_.Append(append, context.deadline);
  if (!appended.ok()) {
    cache_.Erase(order_id);
    return appended.status();
  }
  for (const ordo::v1::OrderEvent& event : *decided) domain::Apply(order, event);
  cache_.Put(order);
  return CommandOutcome{appended->stream_id, appended->version, appended->position};
}

}  // namespace ordo::command
