// The fulfilment saga's runner: load, decide, send, record with the checkpoint.
#include "command/process/fulfilment_saga.h"

#include <algorithm>
#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/time/clock.h"
#include "command/process/saga_inputs.h"
#include "common/status_macros.h"
#include "common/trace_context.h"
#include "events/event_metadata.h"
#include "events/fulfilment_events.h"
#include "store/log/transactional_append.h"
#include "store/pg/pg_status.h"
#include "store/subscription/timer_store.h"

namespace ordo::process {
namespace {

// What one input leaves to record in the transaction.
struct Record {
  size_t index;  // of the input in the batch
  std::string order_id;
  std::string causation_id;
  std::string traceparent;  // the input's
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
                               SagaCommands& commands, FulfilmentPolicy policy,
                               std::function<void()> timers_set, int parallelism)
    : store_(store),
      orders_(orders),
      commands_(commands),
      policy_(policy),
      timers_set_(std::move(timers_set)),
      workers_(parallelism) {}

void FulfilmentSaga::AfterCommit() {
  if (batch_set_timers_ && timers_set_) timers_set_();
}

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

// One order's inputs of a batch, handled in order on one worker.
struct FulfilmentSaga::OrderWork {
  std::string order_id;
  std::vector<size_t> indices;  // in the batch
  std::vector<SagaInput> inputs;
  Instance instance;
  std::vector<Record> records;
  std::optional<size_t> failed_index;
  absl::Status failure;
};

void FulfilmentSaga::Run(const std::vector<store::RecordedEvent>& batch, OrderWork& work) {
  if (absl::Status loaded = Load(work.order_id, work.instance); !loaded.ok()) {
    work.failed_index = work.indices.front();
    work.failure = loaded;
    return;
  }
  Instance& instance = work.instance;
  for (size_t k = 0; k < work.inputs.size(); ++k) {
    const store::RecordedEvent& recorded = batch[work.indices[k]];
    SagaInput& in = work.inputs[k];
    auto fail = [&](absl::Status status) {
      work.failed_index = work.indices[k];
      work.failure = std::move(status);
    };
    if (in.kind == SagaInput::Kind::kOrderConfirmed &&
        instance.state.stage == FulfilmentStage::kNone) {
      absl::StatusOr<domain::Order> order =
          orders_.Current(in.order_id, absl::Now() + commands_.timeout());
      if (!order.ok()) return fail(order.status());
      in.order = *std::move(order);
      instance.correlation_id = events::ParseEventMetadata(recorded.metadata_json).correlation_id;
    }
    Decision decision = Decide(instance.state, in, policy_);
    if (!decision.anomaly.ok()) return fail(decision.anomaly);
    if (decision.empty()) continue;
    const std::string traceparent = events::ParseEventMetadata(recorded.metadata_json).traceparent;
    const StepOrigin origin{events::FulfilmentStreamId(in.order_id), instance.correlation_id,
                            recorded.event_id, traceparent};
    for (const SagaStep& step : decision.commands) {
      if (absl::Status sent = commands_.Send(step, origin); !sent.ok()) return fail(sent);
    }
    for (const ordo::v1::FulfilmentEvent& event : decision.events) Apply(instance.state, event);
    work.records.push_back({work.indices[k], in.order_id, recorded.event_id, traceparent,
                            recorded.event_type, std::move(decision)});
  }
}

store::HandleResult FulfilmentSaga::Handle(const std::vector<store::RecordedEvent>& batch,
                                           pqxx::work& tx) {
  // Each order's inputs in log order; different orders at once (their commands then share
  // commits). Everything is decided and sent before the first write: the transaction takes
  // its id at that write, so it holds back no tail while the commands run.
  std::map<std::string, OrderWork> orders;
  for (size_t i = 0; i < batch.size(); ++i) {
    absl::StatusOr<std::optional<SagaInput>> input = ToSagaInput(batch[i]);
    if (!input.ok()) return store::HandleResult::FailedAt(i, input.status());
    if (!input->has_value()) continue;
    OrderWork& work = orders[(*input)->order_id];
    work.order_id = (*input)->order_id;
    work.indices.push_back(i);
    work.inputs.push_back(**std::move(input));
  }
  absl::BlockingCounter done(static_cast<int>(orders.size()));
  for (auto& [order_id, work] : orders) {
    workers_.Post([this, &batch, &work = work, &done] {
      Run(batch, work);
      done.DecrementCount();
    });
  }
  done.Wait();
  batch_set_timers_ = false;
  std::vector<Record> records;
  std::map<std::string, Instance*> instances;
  std::optional<size_t> first_failure;
  absl::Status failure;
  for (auto& [order_id, work] : orders) {
    if (work.failed_index && (!first_failure || *work.failed_index < *first_failure)) {
      first_failure = work.failed_index;
      failure = work.failure;
    }
    instances[order_id] = &work.instance;
    for (Record& record : work.records) records.push_back(std::move(record));
  }
  if (first_failure) return store::HandleResult::FailedAt(*first_failure, failure);
  std::sort(records.begin(), records.end(),
            [](const Record& a, const Record& b) { return a.index < b.index; });

  absl::Status recorded = store::GuardPq("record saga steps", [&]() -> absl::Status {
    std::map<std::string, int32_t> versions;
    for (const auto& [order_id, instance] : instances)
      versions[order_id] = instance->stored_version;
    for (const Record& record : records) {
      const std::string instance_id = events::FulfilmentStreamId(record.order_id);
      const std::string& correlation_id = instances[record.order_id]->correlation_id;
      if (!record.decision.events.empty()) {
        store::AppendRequest append;
        append.stream_id = instance_id;
        append.stream_type = events::kFulfilmentStreamType;
        append.expected_version = versions[record.order_id];
        const std::optional<TraceContext> trace = ParseTraceparent(record.traceparent);
        append.metadata_json = events::EventMetadataJson(
            {record.input_type, "", correlation_id, record.causation_id, "ordo-saga",
             trace ? record.traceparent : "", trace ? trace->trace_id : ""});
        for (const ordo::v1::FulfilmentEvent& event : record.decision.events) {
          ORDO_ASSIGN_OR_RETURN(store::NewEvent stored, events::FulfilmentEvents().Encode(event));
          append.events.push_back(std::move(stored));
        }
        ORDO_ASSIGN_OR_RETURN(store::AppendResult appended, store::AppendInTransaction(tx, append));
        versions[record.order_id] = appended.version;
      }
      for (TimerKind kind : record.decision.cancel_timers) {
        store::timer_store::Cancel(tx, {name_, instance_id, TimerKindName(kind)});
      }
      batch_set_timers_ = batch_set_timers_ || !record.decision.set_timers.empty();
      for (const TimerSet& timer : record.decision.set_timers) {
        store::timer_store::Set(tx, {name_, instance_id, TimerKindName(timer.kind)}, timer.delay,
                                correlation_id, record.causation_id, record.traceparent);
      }
    }
    return absl::OkStatus();
  });
  return store::HandleResult::From(recorded);
}

}  // namespace ordo::process
