// ordo.v1.InventoryCommandService over gRPC: requests -> commands, outcomes -> replies.
#include "command/services/inventory_command_service.h"

#include "command/services/call_context.h"
#include "common/call_auth.h"
#include "common/grpc_status.h"
#include "store/log/log_position.h"

namespace ordo::command {

template <typename Request>
grpc::ServerUnaryReactor* InventoryCommandService::Run(grpc::CallbackServerContext* context,
                                                       const Request* request,
                                                       domain::InventoryCommand command,
                                                       ordo::v1::StockResult* reply) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (grpc::Status allowed = AuthorizeCall(*context, CallRole::kWriter); !allowed.ok()) {
    reactor->Finish(allowed);
    return reactor;
  }
  const bool reserve = std::holds_alternative<domain::ReserveStock>(command);
  const CommandContext call = ContextFromCall(*context, *request);
  // The answer may come from this thread, a batch's or a worker's; it keeps its own copy
  // of the context for the log line of a failure.
  auto answer = [reactor, request, reply, reserve,
                 call](absl::StatusOr<InventoryCommandHandler::Outcome> outcome) {
    if (!outcome.ok()) return reactor->Finish(CommandFailed(*request, outcome.status(), call));
    const InventoryTraits::Summary& summary = outcome->summary;
    reply->set_sku(request->sku());
    reply->set_version(outcome->version);
    if (outcome->version > 0) {
      reply->set_consistency_token(store::EncodeConsistencyToken(outcome->position));
    }
    reply->set_on_hand(summary.on_hand);
    reply->set_reserved(summary.reserved);
    reply->set_available(summary.on_hand - summary.reserved);
    if (reserve) {
      reply->set_outcome(summary.reservation_open ? ordo::v1::RESERVATION_OUTCOME_RESERVED
                                                  : ordo::v1::RESERVATION_OUTCOME_REJECTED);
    }
    reactor->Finish(grpc::Status::OK);
  };
  handler_.HandleAsync(std::move(command), call, workers_, std::move(answer));
  return reactor;
}

grpc::ServerUnaryReactor* InventoryCommandService::ReceiveStock(
    grpc::CallbackServerContext* context, const ordo::v1::ReceiveStockRequest* request,
    ordo::v1::StockResult* reply) {
  return Run(context, request, domain::ReceiveStock{request->sku(), request->quantity()}, reply);
}

grpc::ServerUnaryReactor* InventoryCommandService::AdjustStock(
    grpc::CallbackServerContext* context, const ordo::v1::AdjustStockRequest* request,
    ordo::v1::StockResult* reply) {
  return Run(context, request,
             domain::AdjustStock{request->sku(), request->delta(), request->reason()}, reply);
}

grpc::ServerUnaryReactor* InventoryCommandService::ReserveStock(
    grpc::CallbackServerContext* context, const ordo::v1::ReserveStockRequest* request,
    ordo::v1::StockResult* reply) {
  return Run(context, request,
             domain::ReserveStock{request->sku(), request->order_id(), request->quantity()}, reply);
}

grpc::ServerUnaryReactor* InventoryCommandService::ReleaseStock(
    grpc::CallbackServerContext* context, const ordo::v1::ReleaseStockRequest* request,
    ordo::v1::StockResult* reply) {
  return Run(context, request, domain::ReleaseStock{request->sku(), request->order_id()}, reply);
}

grpc::ServerUnaryReactor* InventoryCommandService::CommitStock(
    grpc::CallbackServerContext* context, const ordo::v1::CommitStockRequest* request,
    ordo::v1::StockResult* reply) {
  return Run(context, request, domain::CommitStock{request->sku(), request->order_id()}, reply);
}

}  // namespace ordo::command
