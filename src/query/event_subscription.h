// One EventStreamService.Subscribe call (DESIGN §12): a gRPC write reactor that sends the
// events after its position that pass its filter, history first, then live, with
// heartbeats while none come. Inside the live tail's window it takes events from memory;
// behind it, it reads the database in batches on the worker pool. One write at a time and
// at most one batch held: a slow client is held back by gRPC flow control and costs a
// bounded amount of memory. Deletes itself when the call is done.
#ifndef ORDO_QUERY_EVENT_SUBSCRIPTION_H_
#define ORDO_QUERY_EVENT_SUBSCRIPTION_H_

#include <grpcpp/grpcpp.h>

#include <deque>
#include <functional>
#include <set>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/worker_pool.h"
#include "ordo/v1/event_stream_service.pb.h"
#include "store/log/log_position.h"
#include "store/pg/connection_pool.h"
#include "store/subscription/live_tail.h"

namespace ordo::query {

// What a subscription wants, validated.
struct SubscriptionSpec {
  store::LogPosition after;
  // From "end": there is no history, so caught_up is the first reply, before any event
  // recorded after the call.
  bool no_history = false;
  std::set<std::string> event_types;   // empty: all
  std::set<std::string> stream_types;  // empty: all
  std::string stream_id;               // empty: all
  absl::Duration heartbeat = absl::Seconds(1);
};

class EventSubscription final : public grpc::ServerWriteReactor<ordo::v1::SubscribeResponse> {
 public:
  // The pool, tail and workers must outlive the call; `on_done` runs as it ends.
  EventSubscription(store::ConnectionPool& pool, store::LiveTail& tail, WorkerPool& workers,
                    SubscriptionSpec spec, std::function<void()> on_done);

  // Starts sending.
  void Begin();

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  bool Wanted(const store::RecordedEvent& event) const;
  // From the tail's thread: more may be there, or a heartbeat may be due.
  void Wake();
  // Sends what is next when nothing is in flight: a held event, more from the window, a
  // database read, caught_up, or a heartbeat.
  void PumpLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void StartWriteLocked(ordo::v1::SubscribeResponse message) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void FinishLocked(const grpc::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Queues `events` as messages; false (and the call finished) when one does not convert.
  bool HoldLocked(std::vector<store::RecordedEvent> events) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // On a worker: the next batch from the database.
  void ReadDatabase(store::LogPosition after);

  store::ConnectionPool& pool_;
  store::LiveTail& tail_;
  WorkerPool& workers_;
  const SubscriptionSpec spec_;
  const std::function<void()> on_done_;
  uint64_t listener_ = 0;

  absl::Mutex mu_;
  store::LogPosition position_
      ABSL_GUARDED_BY(mu_);  // everything wanted up to here is held or sent
  std::deque<ordo::v1::SubscribeResponse> held_ ABSL_GUARDED_BY(mu_);
  ordo::v1::SubscribeResponse in_flight_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool reading_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  bool caught_up_sent_ ABSL_GUARDED_BY(mu_) = false;
  // The last database read found nothing new: wait for the tail before reading again.
  bool database_drained_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time next_heartbeat_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ordo::query

#endif  // ORDO_QUERY_EVENT_SUBSCRIPTION_H_
