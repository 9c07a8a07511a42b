// ordo.v1.NotificationQueryService over gRPC: ListNotifications, translated to the
// customer_notifications table ordo-notify writes. A callback service: the database work
// runs on a WorkerPool.
#ifndef ORDO_QUERY_NOTIFICATION_QUERY_SERVICE_H_
#define ORDO_QUERY_NOTIFICATION_QUERY_SERVICE_H_

#include "common/worker_pool.h"
#include "ordo/v1/notification_query_service.grpc.pb.h"
#include "query/read_models/notification_read_model.h"

namespace ordo::query {

class NotificationQueryService final : public ordo::v1::NotificationQueryService::CallbackService {
 public:
  // Both must outlive the service.
  NotificationQueryService(NotificationReadModel& notifications, WorkerPool& workers)
      : notifications_(notifications), workers_(workers) {}

  grpc::ServerUnaryReactor* ListNotifications(grpc::CallbackServerContext* context,
                                              const ordo::v1::ListNotificationsRequest* request,
                                              ordo::v1::ListNotificationsResponse* reply) override;

 private:
  NotificationReadModel& notifications_;
  WorkerPool& workers_;
};

}  // namespace ordo::query

#endif  // ORDO_QUERY_NOTIFICATION_QUERY_SERVICE_H_
