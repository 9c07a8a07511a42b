// Input validation of Order commands: the per-field limits, each violation an
// INVALID_ARGUMENT whose message starts with the field's name. Pure, no I/O.
#ifndef ORDO_COMMAND_DOMAIN_ORDER_VALIDATION_H_
#define ORDO_COMMAND_DOMAIN_ORDER_VALIDATION_H_

#include "absl/status/status.h"
#include "command/domain/order_commands.h"

namespace ordo::domain {

// OK when every field of `command` is within its limits. An empty CreateOrder.order_id is
// valid (the caller assigns one); every other command needs one.
absl::Status ValidateCommand(const OrderCommand& command);

}  // namespace ordo::domain

#endif  // ORDO_COMMAND_DOMAIN_ORDER_VALIDATION_H_
