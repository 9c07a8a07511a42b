// The Order aggregate's decisions: given the current state and a valid command, the
// events to append, or the business rule that forbids it. Pure, no I/O.
#ifndef ORDO_COMMAND_DOMAIN_ORDER_DECIDER_H_
#define ORDO_COMMAND_DOMAIN_ORDER_DECIDER_H_

#include <vector>

#include "absl/status/statusor.h"
#include "command/domain/order.h"
#include "command/domain/order_commands.h"
#include "ordo/v1/order_events.pb.h"

namespace ordo::domain {

// `command` must have passed ValidateCommand. Errors: NOT_FOUND (no such order),
// ALREADY_EXISTS (CreateOrder on an existing order), FAILED_PRECONDITION (a business rule,
// named in the message), INVALID_ARGUMENT (the order's line or unit limit).
absl::StatusOr<std::vector<ordo::v1::OrderEvent>> Decide(const Order& order,
                                                         const OrderCommand& command);

}  // namespace ordo::domain

#endif  // ORDO_COMMAND_DOMAIN_ORDER_DECIDER_H_
