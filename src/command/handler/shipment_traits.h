// The Shipment aggregate as the command pipeline sees it (see command_handler.h): one short
// stream per order ("shipment:<order_id>"), sent commands by ordo-saga only.
#ifndef ORDO_COMMAND_HANDLER_SHIPMENT_TRAITS_H_
#define ORDO_COMMAND_HANDLER_SHIPMENT_TRAITS_H_

#include <string>
#include <variant>

#include "command/domain/shipment/shipment.h"
#include "command/domain/shipment/shipment_commands.h"
#include "command/domain/shipment/shipment_decider.h"
#include "command/handler/command_handler.h"
#include "command/handler/short_stream_traits.h"
#include "events/shipment_events.h"

namespace ordo::command {

struct ShipmentTraits
    : ShortStreamTraits<domain::Shipment, domain::ShipmentCommand, ordo::v1::ShipmentEvent> {
  static constexpr char kNoun[] = "shipment";

  static const events::ShipmentCodec& Codec() { return events::ShipmentEvents(); }
  static absl::Status Prepare(Command& command) { return domain::ValidateCommand(command); }
  static std::string StreamId(const Command& command) {
    return events::ShipmentStreamId(domain::TargetOrderId(command));
  }
  static bool CreatesStream(const Command& command) {
    return std::holds_alternative<domain::RequestShipment>(command);
  }
};

using ShipmentCommandHandler = CommandHandler<ShipmentTraits>;

}  // namespace ordo::command

#endif  // ORDO_COMMAND_HANDLER_SHIPMENT_TRAITS_H_
