// The Shipment aggregate's rules (DESIGN §11): given the shipment's state and a command,
// the events to append (none for a repeat), or the rule that forbids it. Pure.
//   RequestShipment   ShipmentRequested for a new shipment; nothing for any other.
//   DispatchShipment  ShipmentDispatched when requested; nothing when dispatched already;
//                     FAILED_PRECONDITION when cancelled or never requested.
//   CancelShipment    ShipmentCancelled when requested or dispatched (the parcel is called
//                     back); nothing when there is none or it is cancelled already;
//                     FAILED_PRECONDITION once delivered.
//   DeliverShipment   ShipmentDelivered when dispatched; nothing when delivered already.
#ifndef ORDO_COMMAND_DOMAIN_SHIPMENT_SHIPMENT_DECIDER_H_
#define ORDO_COMMAND_DOMAIN_SHIPMENT_SHIPMENT_DECIDER_H_

#include <vector>

#include "absl/status/statusor.h"
#include "command/domain/shipment/shipment.h"
#include "command/domain/shipment/shipment_commands.h"
#include "ordo/v1/shipment_events.pb.h"

namespace ordo::domain {

// INVALID_ARGUMENT naming the field.
absl::Status ValidateCommand(const ShipmentCommand& command);

// `command` must have passed ValidateCommand.
absl::StatusOr<std::vector<ordo::v1::ShipmentEvent>> Decide(const Shipment& shipment,
                                                            const ShipmentCommand& command);

}  // namespace ordo::domain

#endif  // ORDO_COMMAND_DOMAIN_SHIPMENT_SHIPMENT_DECIDER_H_
