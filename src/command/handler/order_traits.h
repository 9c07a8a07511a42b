// The Order aggregate as the command pipeline sees it (see command_handler.h). Order
// streams are short (an order has at most a few hundred events), so no snapshots.
#ifndef ORDO_COMMAND_HANDLER_ORDER_TRAITS_H_
#define ORDO_COMMAND_HANDLER_ORDER_TRAITS_H_

#include <string>
#include <variant>

#include "absl/status/statusor.h"
#include "command/domain/order.h"
#include "command/domain/order_commands.h"
#include "command/domain/order_decider.h"
#include "command/domain/order_validation.h"
#include "command/handler/command_handler.h"
#include "command/handler/short_stream_traits.h"
#include "common/ids.h"
#include "events/order_events.h"

namespace ordo::command {

struct OrderTraits : ShortStreamTraits<domain::Order, domain::OrderCommand, ordo::v1::OrderEvent> {
  static constexpr char kNoun[] = "order";

  static const events::OrderCodec& Codec() { return events::OrderEvents(); }

  // CreateOrder without an order_id gets a fresh UUID.
  static absl::Status Prepare(Command& command) {
    if (auto* create = std::get_if<domain::CreateOrder>(&command);
        create != nullptr && create->order_id.empty()) {
      create->order_id = NewUuid();
    }
    return domain::ValidateCommand(command);
  }
  static std::string StreamId(const Command& command) { return domain::TargetOrderId(command); }
  static bool CreatesStream(const Command& command) {
    return std::holds_alternative<domain::CreateOrder>(command);
  }
};

using OrderCommandHandler = CommandHandler<OrderTraits>;

}  // namespace ordo::command

#endif  // ORDO_COMMAND_HANDLER_ORDER_TRAITS_H_
