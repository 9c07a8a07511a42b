// ordo.v1.OrderQueryService over gRPC.
#include "query/order_query_service.h"

#include "common/grpc_status.h"
#include "common/unary_on_workers.h"
#include "query/projectors/order_summary_projection.h"
#include "query/request_checks.h"

namespace ordo::query {

grpc::ServerUnaryReactor* OrderQueryService::GetOrder(grpc::CallbackServerContext* context,
                                                      const ordo::v1::GetOrderRequest* request,
                                                      ordo::v1::Order* reply) {
  return UnaryOnWorkers(
      workers_, context, CallRole::kReader, [this, context, request, reply]() -> grpc::Status {
        if (absl::Status checked = CheckId("order_id", request->order_id()); !checked.ok()) {
          return ToGrpcStatus(checked);
        }
        const absl::Time deadline = CallDeadline(*context);
        if (absl::Status reached = admin_.WaitForToken(kOrderSummaryProjection,
                                                       request->consistency_token(), deadline);
            !reached.ok()) {
          return ToGrpcStatus(reached);
        }
        absl::StatusOr<ordo::v1::Order> order = orders_.GetOrder(request->order_id(), deadline);
        if (!order.ok()) return ToGrpcStatus(order.status());
        *reply = *std::move(order);
        return grpc::Status::OK;
      });
}

grpc::ServerUnaryReactor* OrderQueryService::ListOrders(grpc::CallbackServerContext* context,
                                                        const ordo::v1::ListOrdersRequest* request,
                                                        ordo::v1::ListOrdersResponse* reply) {
  return UnaryOnWorkers(workers_, context, CallRole::kReader,
                        [this, context, request, reply]() -> grpc::Status {
                          absl::StatusOr<ordo::v1::ListOrdersResponse> page =
                              orders_.ListOrders(*request, CallDeadline(*context));
                          if (!page.ok()) return ToGrpcStatus(page.status());
                          *reply = *std::move(page);
                          return grpc::Status::OK;
                        });
}

grpc::ServerUnaryReactor* OrderQueryService::GetOrderHistory(
    grpc::CallbackServerContext* context, const ordo::v1::GetOrderHistoryRequest* request,
    ordo::v1::GetOrderHistoryResponse* reply) {
  return UnaryOnWorkers(workers_, context, CallRole::kReader,
                        [this, context, request, reply]() -> grpc::Status {
                          absl::StatusOr<ordo::v1::GetOrderHistoryResponse> page =
                              history_.Get(request->order_id(), request->page_size(),
                                           request->page_token(), CallDeadline(*context));
                          if (!page.ok()) return ToGrpcStatus(page.status());
                          *reply = *std::move(page);
                          return grpc::Status::OK;
                        });
}

}  // namespace ordo::query
