// The Payment aggregate as the command pipeline sees it (see command_handler.h): one short
// stream per order, so no snapshots.
#ifndef ORDO_COMMAND_HANDLER_PAYMENT_TRAITS_H_
#define ORDO_COMMAND_HANDLER_PAYMENT_TRAITS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "command/domain/payment/payment.h"
#include "command/domain/payment/payment_commands.h"
#include "command/domain/payment/payment_decider.h"
#include "command/handler/command_handler.h"
#include "events/payment_events.h"

namespace ordo::command {

struct PaymentTraits {
  using State = domain::Payment;
  using Command = domain::PaymentCommand;
  using Event = ordo::v1::PaymentEvent;
  struct Summary {};

  static constexpr char kNoun[] = "payment";
  static constexpr int kSnapshotEvery = 0;
  static constexpr int kSnapshotSchemaVersion = 0;

  static const events::PaymentCodec& Codec() { return events::PaymentEvents(); }
  static absl::Status Prepare(Command& command) { return domain::ValidateCommand(command); }
  static std::string StreamId(const Command& command) {
    return events::PaymentStreamId(domain::TargetOrderId(command));
  }
  static bool CreatesStream(const Command& command) {
    return std::holds_alternative<domain::RequestPayment>(command);
  }
  static absl::StatusOr<std::vector<Event>> Decide(const State& state, const Command& command) {
    return domain::Decide(state, command);
  }
  static void Apply(State& state, const Event& event) { domain::Apply(state, event); }
  static Summary Summarize(const State&, const Command&) { return {}; }
  static std::string SnapshotJson(const State&) { return {}; }
  static absl::StatusOr<State> FromSnapshotJson(const std::string&) {
    return absl::UnimplementedError("payments have no snapshots");
  }
};

using PaymentCommandHandler = CommandHandler<PaymentTraits>;

}  // namespace ordo::command

#endif  // ORDO_COMMAND_HANDLER_PAYMENT_TRAITS_H_
