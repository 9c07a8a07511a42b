// ordo.v1.NotificationQueryService over gRPC.
#include "query/notification_query_service.h"

#include "common/grpc_status.h"
#include "common/unary_on_workers.h"

namespace ordo::query {

grpc::ServerUnaryReactor* NotificationQueryService::ListNotifications(
    grpc::CallbackServerContext* context, const ordo::v1::ListNotificationsRequest* request,
    ordo::v1::ListNotificationsResponse* reply) {
  return UnaryOnWorkers(workers_, context, CallRole::kReader,
                        [this, context, request, reply]() -> grpc::Status {
                          absl::StatusOr<ordo::v1::ListNotificationsResponse> page =
                              notifications_.List(*request, CallDeadline(*context));
                          if (!page.ok()) return ToGrpcStatus(page.status());
                          *reply = *std::move(page);
                          return grpc::Status::OK;
                        });
}

}  // namespace ordo::query
