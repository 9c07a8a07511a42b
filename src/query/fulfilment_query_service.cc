// ordo.v1.FulfilmentQueryService over gRPC.
#include "query/fulfilment_query_service.h"

#include "common/grpc_status.h"
#include "common/unary_on_workers.h"
#include "query/projectors/fulfilment_projection.h"
#include "query/request_checks.h"

namespace ordo::query {

grpc::ServerUnaryReactor* FulfilmentQueryService::GetFulfilment(
    grpc::CallbackServerContext* context, const ordo::v1::GetFulfilmentRequest* request,
    ordo::v1::Fulfilment* reply) {
  return UnaryOnWorkers(
      workers_, context, CallRole::kReader, [this, context, request, reply]() -> grpc::Status {
        if (absl::Status checked = CheckId("order_id", request->order_id()); !checked.ok()) {
          return ToGrpcStatus(checked);
        }
        const absl::Time deadline = CallDeadline(*context);
        if (absl::Status reached =
                admin_.WaitForToken(kFulfilmentProjection, request->consistency_token(), deadline);
            !reached.ok()) {
          return ToGrpcStatus(reached);
        }
        absl::StatusOr<ordo::v1::Fulfilment> fulfilment =
            fulfilments_.Get(request->order_id(), deadline);
        if (!fulfilment.ok()) return ToGrpcStatus(fulfilment.status());
        *reply = *std::move(fulfilment);
        return grpc::Status::OK;
      });
}

grpc::ServerUnaryReactor* FulfilmentQueryService::ListFulfilments(
    grpc::CallbackServerContext* context, const ordo::v1::ListFulfilmentsRequest* request,
    ordo::v1::ListFulfilmentsResponse* reply) {
  return UnaryOnWorkers(workers_, context, CallRole::kReader,
                        [this, context, request, reply]() -> grpc::Status {
                          absl::StatusOr<ordo::v1::ListFulfilmentsResponse> page =
                              fulfilments_.List(*request, CallDeadline(*context));
                          if (!page.ok()) return ToGrpcStatus(page.status());
                          *reply = *std::move(page);
                          return grpc::Status::OK;
                        });
}

grpc::ServerUnaryReactor* FulfilmentQueryService::GetFulfilmentHistory(
    grpc::CallbackServerContext* context, const ordo::v1::GetFulfilmentHistoryRequest* request,
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
