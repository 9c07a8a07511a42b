// Input validation of Inventory commands: each bound violated is an INVALID_ARGUMENT whose
// message starts with the field's name. Pure, no I/O.
#ifndef ORDO_COMMAND_DOMAIN_INVENTORY_INVENTORY_VALIDATION_H_
#define ORDO_COMMAND_DOMAIN_INVENTORY_INVENTORY_VALIDATION_H_

#include "absl/status/status.h"
#include "command/domain/inventory/inventory_commands.h"

namespace ordo::domain {

absl::Status ValidateCommand(const InventoryCommand& command);

}  // namespace ordo::domain

#endif  // ORDO_COMMAND_DOMAIN_INVENTORY_INVENTORY_VALIDATION_H_
