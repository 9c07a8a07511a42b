// One EventStreamService.Subscribe call: history from the database, then live from the
// shared tail, one write at a time.
#include "query/event_subscription.h"

#include <pqxx/nontransaction>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/grpc_status.h"
#include "events/any_stream_type.h"
#include "query/read_models/recorded_event_message.h"
#include "store/pg/pg_status.h"
#include "store/subscription/event_tail.h"

namespace ordo::query {
namespace {

// Events held for one client at most: one read of the window or the database.
constexpr size_t kBatch = 500;
constexpr absl::Duration kDatabaseWait = absl::Seconds(10);

}  // namespace

EventSubscription::EventSubscription(store::ConnectionPool& pool, store::LiveTail& tail,
                                     WorkerPool& workers, SubscriptionSpec spec,
                                     std::function<void()> on_done)
    : pool_(pool),
      tail_(tail),
      workers_(workers),
      spec_(std::move(spec)),
      on_done_(std::move(on_done)),
      position_(spec_.after),
      next_heartbeat_(absl::Now() + spec_.heartbeat) {
  if (spec_.no_history) {
    absl::MutexLock lock(&mu_);
    caught_up_sent_ = true;
    ordo::v1::SubscribeResponse marker;
    marker.mutable_caught_up()->set_token(store::EncodeConsistencyToken(position_));
    held_.push_back(std::move(marker));
  }
}

void EventSubscription::Begin() {
  listener_ = tail_.AddListener([this] { Wake(); });
  absl::MutexLock lock(&mu_);
  PumpLocked();
}

bool EventSubscription::Wanted(const store::RecordedEvent& e) const {
  return (spec_.event_types.empty() || spec_.event_types.count(e.event_type) != 0) &&
         (spec_.stream_types.empty() || spec_.stream_types.count(e.stream_type) != 0) &&
         (spec_.stream_id.empty() || spec_.stream_id == e.stream_id);
}

void EventSubscription::Wake() {
  absl::MutexLock lock(&mu_);
  database_drained_ = false;
  PumpLocked();
}

void EventSubscription::OnWriteDone(bool ok) {
  absl::MutexLock lock(&mu_);
  writing_ = false;
  if (!ok) {  // the client is gone
    FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "the stream broke"));
    return;
  }
  PumpLocked();
}

void EventSubscription::OnCancel() {
  absl::MutexLock lock(&mu_);
  cancelled_ = true;
  PumpLocked();
}

void EventSubscription::OnDone() {
  tail_.RemoveListener(listener_);  // waits out a Wake in progress
  on_done_();
  delete this;
}

void EventSubscription::FinishLocked(const grpc::Status& status) {
  if (finished_) return;
  finished_ = true;
  // Not on this thread: it may be the tail's, inside its listener lock, which OnDone takes.
  workers_.Post([this, status] { Finish(status); });
}

void EventSubscription::StartWriteLocked(ordo::v1::SubscribeResponse message) {
  in_flight_ = std::move(message);
  writing_ = true;
  next_heartbeat_ = absl::Now() + spec_.heartbeat;
  StartWrite(&in_flight_);
}

bool EventSubscription::HoldLocked(std::vector<store::RecordedEvent> events) {
  for (const store::RecordedEvent& e : events) {
    ordo::v1::SubscribeResponse message;
    ordo::v1::RecordedEvent* out = message.mutable_event();
    absl::StatusOr<events::CurrentPayload> payload = events::LiftAnyStreamType(e);
    absl::Status filled = payload.ok() ? FillRecordedEvent(e, *payload, out) : payload.status();
    if (!filled.ok()) {
      FinishLocked(ToGrpcStatus(filled));
      return false;
    }
    out->set_stream_id(e.stream_id);
    out->set_stream_type(e.stream_type);
    out->set_token(store::EncodeConsistencyToken(e.position));
    held_.push_back(std::move(message));
  }
  return true;
}

void EventSubscription::PumpLocked() {
  if (finished_ || writing_ || reading_) return;
  if (cancelled_) {
    FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
    return;
  }
  if (held_.empty()) {
    store::WindowRead read = tail_.ReadAfter(
        position_, kBatch, [this](const store::RecordedEvent& e) { return Wanted(e); });
    if (!read.in_window && !database_drained_) {
      reading_ = true;
      workers_.Post([this, after = position_] { ReadDatabase(after); });
      return;
    }
    if (read.in_window) {
      if (!HoldLocked(std::move(read.events))) return;
      if (position_ < read.scanned_to) position_ = read.scanned_to;
    }
  }
  if (!held_.empty()) {
    ordo::v1::SubscribeResponse next = std::move(held_.front());
    held_.pop_front();
    StartWriteLocked(std::move(next));
    return;
  }
  ordo::v1::SubscribeResponse marker;
  if (!caught_up_sent_ && !database_drained_) {
    // The window may not hold what committed just before the call: the history is
    // exhausted only once the database has nothing more either.
    reading_ = true;
    workers_.Post([this, after = position_] { ReadDatabase(after); });
    return;
  }
  if (!caught_up_sent_) {
    caught_up_sent_ = true;
    marker.mutable_caught_up()->set_token(store::EncodeConsistencyToken(position_));
  } else if (absl::Now() >= next_heartbeat_) {
    marker.mutable_heartbeat()->set_token(store::EncodeConsistencyToken(position_));
  } else {
    return;  // until the tail wakes it
  }
  StartWriteLocked(std::move(marker));
}

void EventSubscription::ReadDatabase(store::LogPosition after) {
  store::TailBatch batch;
  absl::Status read = [&]() -> absl::Status {
    absl::StatusOr<store::ConnectionPool::Lease> connection =
        pool_.Acquire(absl::Now() + kDatabaseWait);
    if (!connection.ok()) return connection.status();
    return store::GuardPq("subscribe", [&]() -> absl::Status {
      pqxx::nontransaction tx(**connection);
      store::SubscriberFilter filter{{spec_.event_types.begin(), spec_.event_types.end()},
                                     {spec_.stream_types.begin(), spec_.stream_types.end()}};
      batch = store::ReadTail(tx, after, static_cast<int>(kBatch), filter);
      return absl::OkStatus();
    });
  }();
  absl::MutexLock lock(&mu_);
  reading_ = false;
  if (!read.ok()) {
    FinishLocked(ToGrpcStatus(read));
    return;
  }
  std::vector<store::RecordedEvent> wanted;
  for (store::RecordedEvent& e : batch.events) {
    if (Wanted(e)) wanted.push_back(std::move(e));
  }
  if (!HoldLocked(std::move(wanted))) return;
  if (position_ < batch.scanned_to) position_ = batch.scanned_to;
  database_drained_ = batch.scanned == 0;
  PumpLocked();
}

}  // namespace ordo::query
