// The shipping policy (choreography, DESIGN §11): when the carrier has collected a
// shipment, ship its order with the tracking number. The order knows nothing of shipments
// and the saga does not ask for this: the policy reacts to ShipmentDispatched alone. A
// subscriber of its own (one active instance across processes), stateless: the command's
// request id is derived from the shipment, so handling an event again changes nothing.
#ifndef ORDO_COMMAND_PROCESS_SHIPPING_POLICY_H_
#define ORDO_COMMAND_PROCESS_SHIPPING_POLICY_H_

#include <string>
#include <vector>

#include "command/process/saga_commands.h"
#include "store/subscription/subscriber.h"

namespace ordo::process {

class ShippingPolicy : public store::Subscriber {
 public:
  explicit ShippingPolicy(SagaCommands& commands) : commands_(commands) {}

  const std::string& name() const override { return name_; }
  store::SubscriberFilter filter() const override;
  // Shipments dispatched before the policy first ran are not its to ship.
  store::SubscriberStart start() const override { return store::SubscriberStart::kNow; }
  store::HandleResult Handle(const std::vector<store::RecordedEvent>& events,
                             pqxx::work& tx) override;

 private:
  const std::string name_ = "shipping-policy";
  SagaCommands& commands_;
};

}  // namespace ordo::process

#endif  // ORDO_COMMAND_PROCESS_SHIPPING_POLICY_H_
