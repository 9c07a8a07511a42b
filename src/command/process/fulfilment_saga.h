// The fulfilment saga as a subscriber (DESIGN §10, §11): one active instance across
// processes (the runtime's lease), inputs in log order. For each input it loads the
// order's saga state from its stream, decides (fulfilment_decider.h), sends the decided
// commands, then appends the saga's events and sets its timers in the transaction that
// moves its checkpoint. A crash before that commit repeats the commands, which their
// derived request ids make harmless; a crash after it repeats nothing. An input it cannot
// decode or that contradicts the saga fails and, after the runtime's retries, is parked.
#ifndef ORDO_COMMAND_PROCESS_FULFILMENT_SAGA_H_
#define ORDO_COMMAND_PROCESS_FULFILMENT_SAGA_H_

#include <string>
#include <vector>

#include "command/handler/order_traits.h"
#include "command/process/fulfilment_decider.h"
#include "command/process/saga_commands.h"
#include "store/log/event_store.h"
#include "store/subscription/subscriber.h"

namespace ordo::process {

// The saga's subscriber name and the owner of its timers.
inline constexpr char kFulfilmentSagaName[] = "fulfilment";

class FulfilmentSaga : public store::Subscriber {
 public:
  // Everything must outlive the saga.
  FulfilmentSaga(store::EventStore& store, command::OrderCommandHandler& orders,
                 SagaCommands& commands, FulfilmentPolicy policy);

  const std::string& name() const override { return name_; }
  store::SubscriberFilter filter() const override;
  // Orders confirmed before the saga first ran are not its to fulfil.
  store::SubscriberStart start() const override { return store::SubscriberStart::kNow; }
  store::HandleResult Handle(const std::vector<store::RecordedEvent>& events,
                             pqxx::work& tx) override;

 private:
  struct Instance;

  absl::Status Load(const std::string& order_id, Instance& instance);

  const std::string name_ = kFulfilmentSagaName;
  store::EventStore& store_;
  command::OrderCommandHandler& orders_;
  SagaCommands& commands_;
  const FulfilmentPolicy policy_;
};

}  // namespace ordo::process

#endif  // ORDO_COMMAND_PROCESS_FULFILMENT_SAGA_H_
