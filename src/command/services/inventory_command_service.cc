// ordo.v1.InventoryCommandService over gRPC: requests -> commands, outcomes -> replies.
#include "command/services/inventory_command_service.h"

#include "command/services/call_context.h"
#include "common/grpc_status.h"
#include "common/unary_on_workers.h"
#include "store/log/log_position.h"

namespace ordo::command {

template <typename Request>
grpc::ServerUnaryReactor* InventoryCommandService::Run(grpc::CallbackServerContext* context,
                                                       const Request* request,
                                                       domain::InventoryCommand command,
                                                       ordo::v1::StockResult* reply) {
  return UnaryOnWorkers(
      workers_, context, CallRole::kWriter,
      [this, context, request, command = std::move(command), reply]() mutable {
        const bool reserve = std::holds_alternative<domain::ReserveStock>(command);
        const CommandContext call = ContextFromCall(*context, *request);
        absl::StatusOr<InventoryCommandHandler::Outcome> outcome =
            handler_.Handle(std::move(command), call);
        if (!outcome.ok()) return CommandFailed(*request, outcome.status(), call);
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
        return grpc::Status::OK;
      });
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
