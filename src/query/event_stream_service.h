// ordo.v1.EventStreamService over gRPC (DESIGN §12): validates a Subscribe call and hands
// it to an EventSubscription; at most `max_subscriptions` at once (RESOURCE_EXHAUSTED
// beyond). Every subscription reads the one shared LiveTail while it is live.
#ifndef ORDO_QUERY_EVENT_STREAM_SERVICE_H_
#define ORDO_QUERY_EVENT_STREAM_SERVICE_H_

#include <atomic>

#include "absl/status/statusor.h"
#include "common/worker_pool.h"
#include "ordo/v1/event_stream_service.grpc.pb.h"
#include "query/event_subscription.h"
#include "store/pg/connection_pool.h"
#include "store/subscription/live_tail.h"

namespace ordo::query {

inline constexpr int kDefaultMaxSubscriptions = 256;

// The request as a SubscriptionSpec; INVALID_ARGUMENT naming the field. `head` is where
// "end" starts.
absl::StatusOr<SubscriptionSpec> SubscriptionSpecFrom(const ordo::v1::SubscribeRequest& request,
                                                      const store::LogPosition& head);

class EventStreamService final : public ordo::v1::EventStreamService::CallbackService {
 public:
  // All must outlive the service.
  EventStreamService(store::ConnectionPool& pool, store::LiveTail& tail, WorkerPool& workers,
                     int max_subscriptions = kDefaultMaxSubscriptions)
      : pool_(pool), tail_(tail), workers_(workers), max_subscriptions_(max_subscriptions) {}

  grpc::ServerWriteReactor<ordo::v1::SubscribeResponse>* Subscribe(
      grpc::CallbackServerContext* context, const ordo::v1::SubscribeRequest* request) override;

 private:
  store::ConnectionPool& pool_;
  store::LiveTail& tail_;
  WorkerPool& workers_;
  const int max_subscriptions_;
  std::atomic<int> active_{0};
};

}  // namespace ordo::query

#endif  // ORDO_QUERY_EVENT_STREAM_SERVICE_H_
