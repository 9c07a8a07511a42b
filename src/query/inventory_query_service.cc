// ordo.v1.InventoryQueryService over gRPC.
#include "query/inventory_query_service.h"

#include "common/grpc_status.h"
#include "common/unary_on_workers.h"
#include "query/projectors/stock_levels_projection.h"
#include "query/request_checks.h"

namespace ordo::query {

grpc::ServerUnaryReactor* InventoryQueryService::GetStock(grpc::CallbackServerContext* context,
                                                          const ordo::v1::GetStockRequest* request,
                                                          ordo::v1::Stock* reply) {
  return UnaryOnWorkers(
      workers_, context, CallRole::kReader, [this, context, request, reply]() -> grpc::Status {
        if (absl::Status checked = CheckId("sku", request->sku()); !checked.ok()) {
          return ToGrpcStatus(checked);
        }
        const absl::Time deadline = CallDeadline(*context);
        if (absl::Status reached =
                admin_.WaitForToken(kStockLevelsProjection, request->consistency_token(), deadline);
            !reached.ok()) {
          return ToGrpcStatus(reached);
        }
        absl::StatusOr<ordo::v1::Stock> stock = stock_.GetStock(request->sku(), deadline);
        if (!stock.ok()) return ToGrpcStatus(stock.status());
        *reply = *std::move(stock);
        return grpc::Status::OK;
      });
}

grpc::ServerUnaryReactor* InventoryQueryService::ListStock(
    grpc::CallbackServerContext* context, const ordo::v1::ListStockRequest* request,
    ordo::v1::ListStockResponse* reply) {
  return UnaryOnWorkers(workers_, context, CallRole::kReader,
                        [this, context, request, reply]() -> grpc::Status {
                          absl::StatusOr<ordo::v1::ListStockResponse> page =
                              stock_.ListStock(*request, CallDeadline(*context));
                          if (!page.ok()) return ToGrpcStatus(page.status());
                          *reply = *std::move(page);
                          return grpc::Status::OK;
                        });
}

}  // namespace ordo::query
