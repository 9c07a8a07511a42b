// The Payment aggregate as the command pipeline sees it (see command_handler.h): one short
// stream per order ("payment:<order_id>"), sent commands by ordo-saga only.
#ifndef ORDO_COMMAND_HANDLER_PAYMENT_TRAITS_H_
#define ORDO_COMMAND_HANDLER_PAYMENT_TRAITS_H_

#include <string>
#include <variant>

#include "command/domain/payment/payment.h"
#include "command/domain/payment/payment_commands.h"
#include "command/domain/payment/payment_decider.h"
#include "command/handler/command_handler.h"
#include "command/handler/short_stream_traits.h"
#include "events/payment_events.h"

namespace ordo::command {

struct PaymentTraits
    : ShortStreamTraits<domain::Payment, domain::PaymentCommand, ordo::v1::PaymentEvent> {
  static constexpr char kNoun[] = "payment";

  static const events::PaymentCodec& Codec() { return events::PaymentEvents(); }
  static absl::Status Prepare(Command& command) { return domain::ValidateCommand(command); }
  static std::string StreamId(const Command& command) {
    return events::PaymentStreamId(domain::TargetOrderId(command));
  }
  static bool CreatesStream(const Command& command) {
    return std::holds_alternative<domain::RequestPayment>(command);
  }
};

using PaymentCommandHandler = CommandHandler<PaymentTraits>;

}  // namespace ordo::command

#endif  // ORDO_COMMAND_HANDLER_PAYMENT_TRAITS_H_
