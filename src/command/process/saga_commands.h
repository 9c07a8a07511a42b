// Sends the commands of the saga, its policies and its activities (DESIGN §11) through the
// same pipelines the gRPC services use, in this process. Each command's request id is
// derived from (saga instance, step) — a name-based UUID, so a step sent again after a
// crash is answered from the first time and changes nothing — and carries the flow's
// correlation id, the triggering event as causation, and a span of its trace.
#ifndef ORDO_COMMAND_PROCESS_SAGA_COMMANDS_H_
#define ORDO_COMMAND_PROCESS_SAGA_COMMANDS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "command/handler/inventory_traits.h"
#include "command/handler/order_traits.h"
#include "command/handler/payment_traits.h"
#include "command/handler/shipment_traits.h"
#include "command/process/fulfilment_decider.h"

namespace ordo::process {

// Where a step comes from.
struct StepOrigin {
  std::string instance;        // e.g. "fulfilment:<order_id>"
  std::string correlation_id;  // of the customer's flow
  std::string causation_id;    // the triggering event's id
  std::string traceparent;     // the triggering event's; each command is a child span of it
};

class SagaCommands {
 public:
  // The handlers must outlive this.
  SagaCommands(command::OrderCommandHandler& orders, command::InventoryCommandHandler& inventory,
               command::PaymentCommandHandler& payments, command::ShipmentCommandHandler& shipments,
               absl::Duration timeout)
      : orders_(orders),
        inventory_(inventory),
        payments_(payments),
        shipments_(shipments),
        timeout_(timeout) {}

  // OK when applied (now or the first time), or refused with FAILED_PRECONDITION and
  // step.refusal_is_done. Otherwise the command's error.
  absl::Status Send(const SagaStep& step, const StepOrigin& origin);

  command::PaymentCommandHandler& payments() { return payments_; }
  absl::Duration timeout() const { return timeout_; }

 private:
  command::OrderCommandHandler& orders_;
  command::InventoryCommandHandler& inventory_;
  command::PaymentCommandHandler& payments_;
  command::ShipmentCommandHandler& shipments_;
  const absl::Duration timeout_;
};

}  // namespace ordo::process

#endif  // ORDO_COMMAND_PROCESS_SAGA_COMMANDS_H_
