// ordo.v1.OrderCommandService over gRPC: requests -> commands, outcomes -> replies.
#include "command/services/order_command_service.h"

#include <optional>

#include "command/services/call_context.h"
#include "common/call_auth.h"
#include "common/grpc_status.h"
#include "store/log/log_position.h"

namespace ordo::command {
template <typename Request>
grpc::ServerUnaryReactor* OrderCommandService::Run(grpc::CallbackServerContext* context,
                                                   const Request* request,
                                                   domain::OrderCommand command,
                                                   ordo::v1::CommandResult* reply) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (grpc::Status allowed = AuthorizeCall(*context, CallRole::kWriter); !allowed.ok()) {
    reactor->Finish(allowed);
    return reactor;
  }
  const CommandContext call = ContextFromCall(*context, *request);
  // The answer may come from this thread, a batch's or a worker's; it keeps its own copy
  // of the context for the log line of a failure.
  auto answer = [reactor, request, reply,
                 call](absl::StatusOr<OrderCommandHandler::Outcome> outcome) {
    if (!outcome.ok()) return reactor->Finish(CommandFailed(*request, outcome.status(), call));
    reply->set_order_id(outcome->stream_id);
    reply->set_version(outcome->version);
    reply->set_consistency_token(store::EncodeConsistencyToken(outcome->position));
    reactor->Finish(grpc::Status::OK);
  };
  handler_.HandleAsync(std::move(command), call, workers_, std::move(answer));
  return reactor;
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
