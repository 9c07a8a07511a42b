// ordo.v1.InventoryQueryService over gRPC: GetStock (with read-your-writes on a consistency
// token) and ListStock, translating to the stock_levels read model. A callback service:
// the database work runs on a WorkerPool.
#ifndef ORDO_QUERY_INVENTORY_QUERY_SERVICE_H_
#define ORDO_QUERY_INVENTORY_QUERY_SERVICE_H_

#include "common/worker_pool.h"
#include "ordo/v1/inventory_query_service.grpc.pb.h"
#include "query/read_models/stock_read_model.h"
#include "store/projection/projection_admin.h"

namespace ordo::query {

class InventoryQueryService final : public ordo::v1::InventoryQueryService::CallbackService {
 public:
  // All must outlive the service.
  InventoryQueryService(StockReadModel& stock, store::ProjectionAdmin& admin, WorkerPool& workers)
      : stock_(stock), admin_(admin), workers_(workers) {}

  grpc::ServerUnaryReactor* GetStock(grpc::CallbackServerContext* context,
                                     const ordo::v1::GetStockRequest* request,
                                     ordo::v1::Stock* reply) override;
  grpc::ServerUnaryReactor* ListStock(grpc::CallbackServerContext* context,
                                      const ordo::v1::ListStockRequest* request,
                                      ordo::v1::ListStockResponse* reply) override;

 private:
  StockReadModel& stock_;
  store::ProjectionAdmin& admin_;
  WorkerPool& workers_;
};

}  // namespace ordo::query

#endif  // ORDO_QUERY_INVENTORY_QUERY_SERVICE_H_
