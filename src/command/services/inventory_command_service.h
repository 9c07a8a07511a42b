// ordo.v1.InventoryCommandService over gRPC: translates requests into Inventory commands
// and a CommandContext, and outcomes or Status into StockResult replies. No logic of its own.
#ifndef ORDO_COMMAND_SERVICES_INVENTORY_COMMAND_SERVICE_H_
#define ORDO_COMMAND_SERVICES_INVENTORY_COMMAND_SERVICE_H_

#include "command/handler/inventory_traits.h"
#include "common/worker_pool.h"
#include "ordo/v1/inventory_command_service.grpc.pb.h"

namespace ordo::command {

// A callback service: each call's blocking work runs on `workers`.
class InventoryCommandService final : public ordo::v1::InventoryCommandService::CallbackService {
 public:
  // `handler` and `workers` must outlive the service.
  InventoryCommandService(InventoryCommandHandler& handler, WorkerPool& workers)
      : handler_(handler), workers_(workers) {}

  grpc::ServerUnaryReactor* ReceiveStock(grpc::CallbackServerContext* context,
                                         const ordo::v1::ReceiveStockRequest* request,
                                         ordo::v1::StockResult* reply) override;
  grpc::ServerUnaryReactor* AdjustStock(grpc::CallbackServerContext* context,
                                        const ordo::v1::AdjustStockRequest* request,
                                        ordo::v1::StockResult* reply) override;
  grpc::ServerUnaryReactor* ReserveStock(grpc::CallbackServerContext* context,
                                         const ordo::v1::ReserveStockRequest* request,
                                         ordo::v1::StockResult* reply) override;
  grpc::ServerUnaryReactor* ReleaseStock(grpc::CallbackServerContext* context,
                                         const ordo::v1::ReleaseStockRequest* request,
                                         ordo::v1::StockResult* reply) override;
  grpc::ServerUnaryReactor* CommitStock(grpc::CallbackServerContext* context,
                                        const ordo::v1::CommitStockRequest* request,
                                        ordo::v1::StockResult* reply) override;

 private:
  template <typename Request>
  grpc::ServerUnaryReactor* Run(grpc::CallbackServerContext* context, const Request* request,
                                domain::InventoryCommand command, ordo::v1::StockResult* reply);

  InventoryCommandHandler& handler_;
  WorkerPool& workers_;
};

}  // namespace ordo::command

#endif  // ORDO_COMMAND_SERVICES_INVENTORY_COMMAND_SERVICE_H_
