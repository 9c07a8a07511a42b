// What the fulfilment saga's timers do when they fire (DESIGN §11), outside any database
// transaction: authorise, capture or void at the payment gateway, expire an unanswered
// payment at its deadline, collect the parcel from the carrier. Each records the outcome
// by a command with a derived request id, and each is safe to fire again: the gateway
// answers a repeated idempotency key as the first time, the commands are idempotent.
#ifndef ORDO_COMMAND_PROCESS_FULFILMENT_ACTIVITIES_H_
#define ORDO_COMMAND_PROCESS_FULFILMENT_ACTIVITIES_H_

#include "absl/status/status.h"
#include "command/process/carrier.h"
#include "command/process/payment_gateway.h"
#include "command/process/saga_commands.h"
#include "store/subscription/timer_store.h"

namespace ordo::process {

class FulfilmentActivities {
 public:
  // Everything must outlive this.
  FulfilmentActivities(SagaCommands& commands, PaymentGateway& gateway, Carrier& carrier)
      : commands_(commands), gateway_(gateway), carrier_(carrier) {}

  // OK: done (also when there was nothing left to do). An error: fire again later.
  absl::Status Fire(const store::Timer& timer);

 private:
  absl::Status AuthorizePayment(const std::string& order_id, const StepOrigin& origin);
  absl::Status ExpirePayment(const std::string& order_id, const StepOrigin& origin);
  absl::Status CapturePayment(const std::string& order_id, const StepOrigin& origin);
  absl::Status VoidPayment(const StepOrigin& origin);
  absl::Status DispatchShipment(const std::string& order_id, const StepOrigin& origin);

  SagaCommands& commands_;
  PaymentGateway& gateway_;
  Carrier& carrier_;
};

}  // namespace ordo::process

#endif  // ORDO_COMMAND_PROCESS_FULFILMENT_ACTIVITIES_H_
