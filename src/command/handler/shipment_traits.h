// The Shipment aggregate as the command pipeline sees it (see command_handler.h): one short
// stream per order, so no snapshots.
#ifndef ORDO_COMMAND_HANDLER_SHIPMENT_TRAITS_H_
#define ORDO_COMMAND_HANDLER_SHIPMENT_TRAITS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "command/domain/shipment/shipment.h"
#include "command/domain/shipment/shipment_commands.h"
#include "command/domain/shipment/shipment_decider.h"
#include "command/handler/command_handler.h"
#include "events/shipment_events.h"

namespace ordo::command {

struct ShipmentTraits {
  using State = domain::Shipment;
  using Command = domain::ShipmentCommand;
  using Event = ordo::v1::ShipmentEvent;
  struct Summary {};

  static constexpr char kNoun[] = "shipment";
  static constexpr int kSnapshotEvery = 0;
  static constexpr int kSnapshotSchemaVersion = 0;

  static const events::ShipmentCodec& Codec() { return events::ShipmentEvents(); }
  static absl::Status Prepare(Command& command) { return domain::ValidateCommand(command); }
  static std::string StreamId(const Command& command) {
    return events::ShipmentStreamId(domain::TargetOrderId(command));
  }
  static bool CreatesStream(const Command& command) {
    return std::holds_alternative<domain::RequestShipment>(command);
  }
  static absl::StatusOr<std::vector<Event>> Decide(const State& state, const Command& command) {
    return domain::Decide(state, command);
  }
  static void Apply(State& state, const Event& event) { domain::Apply(state, event); }
  static Summary Summarize(const State&, const Command&) { return {}; }
  static std::string SnapshotJson(const State&) { return {}; }
  static absl::StatusOr<State> FromSnapshotJson(const std::string&) {
    return absl::UnimplementedError("shipments have no snapshots");
  }
};

using ShipmentCommandHandler = CommandHandler<ShipmentTraits>;

}  // namespace ordo::command

#endif  // ORDO_COMMAND_HANDLER_SHIPMENT_TRAITS_H_
