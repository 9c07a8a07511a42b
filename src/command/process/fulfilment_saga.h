// The fulfilment saga as a subscriber (DESIGN §10, §11): one active instance across
// processes (the runtime's lease), each order's inputs in log order (different orders of a
// batch at once, on a pool of workers). For each input it loads the order's saga state from
// its stream, decides (fulfilment_decider.h), sends the decided commands, then appends the
// saga's events and sets its timers in the transaction that moves its checkpoint. A crash before
// that commit repeats the commands, which their derived request ids make harmless; a crash after it
// repeats nothing. An input it cannot decode or that contradicts the saga fails and, after the
// runtime's retries, is parked.
#ifndef ORDO_COMMAND_PROCESS_FULFILMENT_SAGA_H_
#define ORDO_COMMAND_PROCESS_FULFILMENT_SAGA_H_

#include <functional>
#include <string>
#include <vector>

#include "command/handler/order_traits.h"
#include "command/process/fulfilment_decider.h"
#include "command/process/saga_commands.h"
#include "common/worker_pool.h"
#include "store/log/event_store.h"
#include "store/subscription/subscriber.h"

namespace ordo::process {

// The saga's subscriber name and the owner of its timers.
inline constexpr char kFulfilmentSagaName[] = "fulfilment";

class FulfilmentSaga : public store::Subscriber {
 public:
  // Everything must outlive the saga.
  // `parallelism`: orders of a batch handled at once. `timers_set` (may be empty) is
  // called after a batch that set timers committed: the poller can look at once.
  FulfilmentSaga(store::EventStore& store, command::OrderCommandHandler& orders,
                 SagaCommands& commands, FulfilmentPolicy policy,
                 std::function<void()> timers_set = {}, int parallelism = 16);

  const std::string& name() const override { return name_; }
  store::SubscriberFilter filter() const override;
  // Orders confirmed before the saga first ran are not its to fulfil.
  store::SubscriberStart start() const override { return store::SubscriberStart::kNow; }
  store::HandleResult Handle(const std::vector<store::RecordedEvent>& events,
                             pqxx::work& tx) override;
  void AfterCommit() override;

 private:
  struct Instance;
  struct OrderWork;

  absl::Status Load(const std::string& order_id, Instance& instance);
  // One order's inputs, in order, until the first that fails.
  void Run(const std::vector<store::RecordedEvent>& batch, OrderWork& work);

  const std::string name_ = kFulfilmentSagaName;
  store::EventStore& store_;
  command::OrderCommandHandler& orders_;
  SagaCommands& commands_;
  const FulfilmentPolicy policy_;
  const std::function<void()> timers_set_;
  bool batch_set_timers_ = false;  // by the last Handle (runner thread only)
  WorkerPool workers_;
};

}  // namespace ordo::process

#endif  // ORDO_COMMAND_PROCESS_FULFILMENT_SAGA_H_
