// The fulfilment saga's runner: load, decide, send, record with the checkpoint.
#include "command/process/fulfilment_saga.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status_macros.h"
#include "events/event_metadata.h"
#include "events/fulfilment_events.h"
#include "command/process/saga_inputs.h"
#include "store/log/transactional_append.h"
#include "store/pg/pg_status.h"
#include "store/subscription/timer_store.h"

namespace ordo::process {
namespace {

// What one input leaves to record in the transaction.
struct Record {
  std::string order_id;
  std::string causation_id;
  std::string input_type;
  Decision decision;
};

}  // namespace

struct FulfilmentSaga::Instance {
  Fulfilment state;
  std::string correlation_id;
  int32_t stored_version = 0;  // before this batch
};

FulfilmentSaga::FulfilmentSaga(store::EventStore& store, command::OrderCommandHandler& orders,
                               SagaCommands& commands, FulfilmentPolicy policy)
    : store_(store), orders_(orders), commands_(commands), policy_(policy) {}

store::SubscriberFilter FulfilmentSaga::filter() const {
  return {SagaInputEventTypes(), SagaInputStreamTypes()};
}

absl::Status FulfilmentSaga::Load(const std::string& order_id, Instance& instance) {
  ORDO_ASSIGN_OR_RETURN(std::vector<store::RecordedEvent> history,
                        store_.ReadStream(events::FulfilmentStreamId(order_id), 1,
                                          absl::Now() + commands_.timeout()));
  for (const store::RecordedEvent& recorded : history) {
    ORDO_ASSIGN_OR_RETURN(ordo::v1::FulfilmentEvent event,
                          events::FulfilmentEvents().Decode(recorded));
    Apply(instance.state, event);
    if (instance.correlation_id.empty()) {
      instance.correlation_id = events::ParseEventMetadata(recorded.metadata_json).correlation_id;
    }
  }
  instance.stored_version = instance.state.version;
  return absl::OkStatus();
}

store::HandleResult FulfilmentSaga::Handle(const std::vector<store::RecordedEvent>& batch,
                                           pqxx::work& tx) {
  // Decide and send for every input first, record after: the transaction takes its id at
  // its first write, so it holds back no tail while the commands run.
  std::map<std::string, Instance> instances;  // by order id, for this batch
  std::vector<Record> records;
  for (size_t i = 0; i < batch.size(); ++i) {
    const store::RecordedEvent& recorded = batch[i];
    absl::StatusOr<std::optional<SagaInput>> input = ToSagaInput(recorded);
    if (!input.ok()) return store::HandleResult::FailedAt(i, input.status());
    if (!input->has_value()) continue;
    SagaInput& in = **input;
    auto [it, fresh] = instances.try_emplace(in.order_id);
    Instance& instance = it->second;
    if (fresh) {
      if (absl::Status loaded = Load(in.order_id, instance); !loaded.ok()) {
        return store::HandleResult::FailedAt(i, loaded);
      }
    }
    if (in.kind == SagaInput::Kind::kOrderConfirmed &&
        instance.state.stage == FulfilmentStage::kNone) {
      absl::StatusOr<domain::Order> order =
          orders_.Current(in.order_id, absl::Now() + commands_.timeout());
      if (!order.ok()) return store::HandleResult::FailedAt(i, order.status());
      in.order = *std::move(order);
      instance.correlation_id = events::ParseEventMetadata(recorded.metadata_json).correlation_id;
    }
    Decision decision = Decide(instance.state, in, policy_);
    if (!decision.anomaly.ok()) return store::HandleResult::FailedAt(i, decision.anomaly);
    if (decision.empty()) continue;
    const StepOrigin origin{events::FulfilmentStreamId(in.order_id), instance.correlation_id,
                            recorded.event_id};
    for (const SagaStep& step : decision.commands) {
      if (absl::Status sent = commands_.Send(step, origin); !sent.ok()) {
        return store::HandleResult::FailedAt(i, sent);
      }
    }
    for (const ordo::v1::FulfilmentEvent& event : decision.events) Apply(instance.state, event);
    records.push_back({in.order_id, recorded.event_id, recorded.event_type, std::move(decision)});
  }

  absl::Status recorded = store::GuardPq("record saga steps", [&]() -> absl::Status {
    std::map<std::string, int32_t> versions;
    for (const auto& [order_id, instance] : instances) versions[order_id] = instance.stored_version;
    for (const Record& record : records) {
      const std::string instance_id = events::FulfilmentStreamId(record.order_id);
      const std::string& correlation_id = instances[record.order_id].correlation_id;
      if (!record.decision.events.empty()) {
        store::AppendRequest append;
        append.stream_id = instance_id;
        append.stream_type = events::kFulfilmentStreamType;
        append.expected_version = versions[record.order_id];
        append.metadata_json = events::EventMetadataJson(
            {record.input_type, "", correlation_id, record.causation_id, "ordo-saga"});
        for (const ordo::v1::FulfilmentEvent& event : record.decision.events) {
          ORDO_ASSIGN_OR_RETURN(store::NewEvent stored, events::FulfilmentEvents().Encode(event));
          append.events.push_back(std::move(stored));
        }
        ORDO_ASSIGN_OR_RETURN(store::AppendResult appended,
                              store::AppendInTransaction(tx, append));
        versions[record.order_id] = appended.version;
      }
      for (TimerKind kind : record.decision.cancel_timers) {
        store::timer_store::Cancel(tx, {name_, instance_id, TimerKindName(kind)});
      }
      for (const TimerSet& timer : record.decision.set_timers) {
        store::timer_store::Set(tx, {name_, instance_id, TimerKindName(timer.kind)}, timer.delay,
                                correlation_id, record.causation_id);
      }
    }
    return absl::OkStatus();
  });
  return store::HandleResult::From(recorded);
}

}  // namespace ordo::process
