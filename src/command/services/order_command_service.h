// ordo.v1.OrderCommandService over gRPC: translates requests into domain commands and a
// CommandContext (request id, expected version, correlation id from x-correlation-id, peer,
// deadline), and outcomes or Status into replies. No logic of its own.
#ifndef ORDO_COMMAND_SERVICES_ORDER_COMMAND_SERVICE_H_
#define ORDO_COMMAND_SERVICES_ORDER_COMMAND_SERVICE_H_

#include "command/handler/order_traits.h"
#include "common/worker_pool.h"
#include "ordo/v1/command_service.grpc.pb.h"

namespace ordo::command {

// A callback service: each call's blocking work runs on `workers`, so gRPC's own threads
// never wait on the database.
class OrderCommandService final : public ordo::v1::OrderCommandService::CallbackService {
 public:
  // `handler` and `workers` must outlive the service.
  OrderCommandService(OrderCommandHandler& handler, WorkerPool& workers)
      : handler_(handler), workers_(workers) {}

  grpc::ServerUnaryReactor* CreateOrder(grpc::CallbackServerContext* context,
                                        const ordo::v1::CreateOrderRequest* request,
                                        ordo::v1::CommandResult* reply) override;
  grpc::ServerUnaryReactor* AddItem(grpc::CallbackServerContext* context,
                                    const ordo::v1::AddItemRequest* request,
                                    ordo::v1::CommandResult* reply) override;
  grpc::ServerUnaryReactor* RemoveItem(grpc::CallbackServerContext* context,
                                       const ordo::v1::RemoveItemRequest* request,
                                       ordo::v1::CommandResult* reply) override;
  grpc::ServerUnaryReactor* ConfirmOrder(grpc::CallbackServerContext* context,
                                         const ordo::v1::ConfirmOrderRequest* request,
                                         ordo::v1::CommandResult* reply) override;
  grpc::ServerUnaryReactor* ShipOrder(grpc::CallbackServerContext* context,
                                      const ordo::v1::ShipOrderRequest* request,
                                      ordo::v1::CommandResult* reply) override;
  grpc::ServerUnaryReactor* CancelOrder(grpc::CallbackServerContext* context,
                                        const ordo::v1::CancelOrderRequest* request,
                                        ordo::v1::CommandResult* reply) override;

 private:
  // Queues the command on the workers; the reactor finishes when it is done.
  template <typename Request>
  grpc::ServerUnaryReactor* Run(grpc::CallbackServerContext* context, const Request* request,
                                domain::OrderCommand command, ordo::v1::CommandResult* reply);

  OrderCommandHandler& handler_;
  WorkerPool& workers_;
};

}  // namespace ordo::command

#endif  // ORDO_COMMAND_SERVICES_ORDER_COMMAND_SERVICE_H_
