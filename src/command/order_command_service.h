// ordo.v1.OrderCommandService over gRPC: translates requests into domain commands and a
// CommandContext (request id, expected version, correlation id from x-correlation-id, peer,
// deadline), and outcomes or Status into replies. No logic of its own.
#ifndef ORDO_COMMAND_ORDER_COMMAND_SERVICE_H_
#define ORDO_COMMAND_ORDER_COMMAND_SERVICE_H_

#include "command/command_handler.h"
#include "ordo/v1/command_service.grpc.pb.h"

namespace ordo::command {

class OrderCommandService final : public ordo::v1::OrderCommandService::Service {
 public:
  // `handler` must outlive the service.
  explicit OrderCommandService(OrderCommandHandler& handler) : handler_(handler) {}

  grpc::Status CreateOrder(grpc::ServerContext* context,
                           const ordo::v1::CreateOrderRequest* request,
                           ordo::v1::CommandResult* reply) override;
  grpc::Status AddItem(grpc::ServerContext* context, const ordo::v1::AddItemRequest* request,
                       ordo::v1::CommandResult* reply) override;
  grpc::Status RemoveItem(grpc::ServerContext* context, const ordo::v1::RemoveItemRequest* request,
                          ordo::v1::CommandResult* reply) override;
  grpc::Status ConfirmOrder(grpc::ServerContext* context,
                            const ordo::v1::ConfirmOrderRequest* request,
                            ordo::v1::CommandResult* reply) override;
  grpc::Status ShipOrder(grpc::ServerContext* context, const ordo::v1::ShipOrderRequest* request,
                         ordo::v1::CommandResult* reply) override;
  grpc::Status CancelOrder(grpc::ServerContext* context,
                           const ordo::v1::CancelOrderRequest* request,
                           ordo::v1::CommandResult* reply) override;

 private:
  template <typename Request>
  grpc::Status Run(grpc::ServerContext* context, const Request& request,
                   domain::OrderCommand command, ordo::v1::CommandResult* reply);

  OrderCommandHandler& handler_;
};

}  // namespace ordo::command

#endif  // ORDO_COMMAND_ORDER_COMMAND_SERVICE_H_
