// Sends saga steps through the command pipelines with derived request ids.
#include "command/process/saga_commands.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/ids.h"
#include "common/trace_context.h"

namespace ordo::process {

absl::Status SagaCommands::Send(const SagaStep& step, const StepOrigin& origin) {
  command::CommandContext context;
  const std::string name = absl::StrCat(origin.instance, "/", step.step);
  context.request_id = NameBasedUuid(name);
  // The request id stands for exactly this content.
  context.fingerprint = name;
  context.correlation_id = origin.correlation_id;
  context.causation_id = origin.causation_id;
  context.trace = ContinueTrace(origin.traceparent);
  context.peer = absl::StrCat("ordo-saga ", name);
  context.deadline = absl::Now() + timeout_;
  absl::Status sent = std::visit(
      [&](const auto& command) -> absl::Status {
        using T = std::decay_t<decltype(command)>;
        if constexpr (std::is_same_v<T, domain::OrderCommand>) {
          return orders_.Handle(command, context).status();
        } else if constexpr (std::is_same_v<T, domain::InventoryCommand>) {
          return inventory_.Handle(command, context).status();
        } else if constexpr (std::is_same_v<T, domain::PaymentCommand>) {
          return payments_.Handle(command, context).status();
        } else {
          return shipments_.Handle(command, context).status();
        }
      },
      step.command);
  if (absl::IsFailedPrecondition(sent) && step.refusal_is_done) return absl::OkStatus();
  if (!sent.ok()) {
    return absl::Status(sent.code(), absl::StrCat(name, ": ", sent.message()));
  }
  return absl::OkStatus();
}

}  // namespace ordo::process
