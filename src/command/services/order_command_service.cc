// ordo.v1.OrderCommandService over gRPC: requests -> commands, outcomes -> replies.
#include "command/services/order_command_service.h"

#include <optional>

#include "command/services/call_context.h"
#include "common/grpc_status.h"
#include "common/unary_on_workers.h"
#include "store/log/log_position.h"

namespace ordo::command {
template <typename Request>
grpc::ServerUnaryReactor* OrderCommandService::Run(grpc::CallbackServerContext* context,
                                                   const Request* request,
                                                   domain::OrderCommand command,
                                                   ordo::v1::CommandResult* reply) {
  return UnaryOnWorkers(
      workers_, context, CallRole::kWriter,
      [this, context, request, command = std::move(command), reply]() mutable {
        const CommandContext call = ContextFromCall(*context, *request);
        absl::StatusOr<OrderCommandHandler::Outcome> outcome =
            handler_.Handle(std::move(command), call);
        if (!outcome.ok()) return CommandFailed(*request, outcome.status(), call);
        reply->set_order_id(outcome->stream_id);
        reply->set_version(outcome->version);
        reply->set_consistency_token(store::EncodeConsistencyToken(outcome->position));
        return grpc::Status::OK;
      });
}

grpc::ServerUnaryReactor* OrderCommandService::CreateOrder(
    grpc::CallbackServerContext* context, const ordo::v1::CreateOrderRequest* request,
    ordo::v1::CommandResult* reply) {
  domain::CreateOrder create{request->order_id(), request->customer_id(), request->currency(),
                             request->customer_email(), std::nullopt};
  if (request->has_shipping_address()) create.shipping_address = request->shipping_address();
  return Run(context, request, std::move(create), reply);
}

grpc::ServerUnaryReactor* OrderCommandService::AddItem(grpc::CallbackServerContext* context,
                                                       const ordo::v1::AddItemRequest* request,
                                                       ordo::v1::CommandResult* reply) {
  return Run(context, request,
             domain::AddItem{request->order_id(), request->sku(), request->quantity(),
                             request->unit_price_cents()},
             reply);
}

grpc::ServerUnaryReactor* OrderCommandService::RemoveItem(
    grpc::CallbackServerContext* context, const ordo::v1::RemoveItemRequest* request,
    ordo::v1::CommandResult* reply) {
  return Run(context, request, domain::RemoveItem{request->order_id(), request->sku()}, reply);
}

grpc::ServerUnaryReactor* OrderCommandService::ConfirmOrder(
    grpc::CallbackServerContext* context, const ordo::v1::ConfirmOrderRequest* request,
    ordo::v1::CommandResult* reply) {
  return Run(context, request, domain::ConfirmOrder{request->order_id()}, reply);
}

grpc::ServerUnaryReactor* OrderCommandService::ShipOrder(grpc::CallbackServerContext* context,
                                                         const ordo::v1::ShipOrderRequest* request,
                                                         ordo::v1::CommandResult* reply) {
  return Run(context, request, domain::ShipOrder{request->order_id(), request->tracking_number()},
             reply);
}

grpc::ServerUnaryReactor* OrderCommandService::CancelOrder(
    grpc::CallbackServerContext* context, const ordo::v1::CancelOrderRequest* request,
    ordo::v1::CommandResult* reply) {
  return Run(context, request, domain::CancelOrder{request->order_id(), request->reason()}, reply);
}

}  // namespace ordo::command
