// The Order aggregate as the command pipeline sees it (see command_handler.h). Order
// streams are short (an order has at most a few hundred events), so no snapshots.
#ifndef ORDO_COMMAND_HANDLER_ORDER_TRAITS_H_
#define ORDO_COMMAND_HANDLER_ORDER_TRAITS_H_

#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "command/domain/order.h"
#include "command/domain/order_commands.h"
#include "command/domain/order_decider.h"
#include "command/domain/order_validation.h"
#include "command/handler/command_handler.h"
#include "common/ids.h"
#include "events/order_events.h"

namespace ordo::command {

struct OrderTraits {
  using State = domain::Order;
  using Command = domain::OrderCommand;
  using Event = ordo::v1::OrderEvent;
  struct Summary {};

  static constexpr char kNoun[] = "order";
  static constexpr int kSnapshotEvery = 0;
  static constexpr int kSnapshotSchemaVersion = 0;

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
  static absl::StatusOr<std::vector<Event>> Decide(const State& state, const Command& command) {
    return domain::Decide(state, command);
  }
  static void Apply(State& state, const Event& event) { domain::Apply(state, event); }
  static Summary Summarize(const State&, const Command&) { return {}; }
  static std::string SnapshotJson(const State&) { return {}; }
  static absl::StatusOr<State> FromSnapshotJson(const std::string&) {
    return absl::UnimplementedError("orders have no snapshots");
  }
};

using OrderCommandHandler = CommandHandler<OrderTraits>;

}  // namespace ordo::command

#endif  // ORDO_COMMAND_HANDLER_ORDER_TRAITS_H_
