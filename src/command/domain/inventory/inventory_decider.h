// The Inventory aggregate's decisions (DESIGN §9): given the SKU's state and a valid
// command, the events to append (none for a no-op), or the rule that forbids it. Pure.
//   ReceiveStock   always; creates the SKU's stream.
//   AdjustStock    NOT_FOUND for an unknown SKU; FAILED_PRECONDITION when on_hand would
//                  fall below reserved.
//   ReserveStock   StockReserved when the units are available, StockReservationRejected
//                  (an outcome, not an error) when not, also for a SKU never received;
//                  nothing when the order already holds this reservation;
//                  FAILED_PRECONDITION when it holds one of another quantity.
//   ReleaseStock   StockReleased, or nothing when the order holds no reservation.
//   CommitStock    StockCommitted; FAILED_PRECONDITION without an open reservation.
// A reservation is open from StockReserved to StockReleased or StockCommitted; after
// that the order may reserve the SKU again.
#ifndef ORDO_COMMAND_DOMAIN_INVENTORY_INVENTORY_DECIDER_H_
#define ORDO_COMMAND_DOMAIN_INVENTORY_INVENTORY_DECIDER_H_

#include <vector>

#include "absl/status/statusor.h"
#include "command/domain/inventory/inventory.h"
#include "command/domain/inventory/inventory_commands.h"
#include "ordo/v1/inventory_events.pb.h"

namespace ordo::domain {

// `command` must have passed ValidateCommand.
absl::StatusOr<std::vector<ordo::v1::InventoryEvent>> Decide(const Inventory& inventory,
                                                             const InventoryCommand& command);

}  // namespace ordo::domain

#endif  // ORDO_COMMAND_DOMAIN_INVENTORY_INVENTORY_DECIDER_H_
