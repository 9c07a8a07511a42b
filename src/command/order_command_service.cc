// ordo.v1.OrderCommandService over gRPC: requests -> commands, outcomes -> replies.
#include "command/order_command_service.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/grpc_status.h"
#include "common/ids.h"
#include "common/unary_on_workers.h"
#include "store/log_position.h"

namespace ordo::command {
namespace {

constexpr char kCorrelationHeader[] = "x-correlation-id";
constexpr size_t kMaxCorrelationIdBytes = 128;

// FNV-1a over the method name and the deterministic encoding of the request without its
// request_id: equal for a retry of the same request, different for other content.
template <typename Request>
std::string Fingerprint(const Request& request) {
  Request copy = request;
  copy.clear_request_id();
  std::string bytes = copy.GetDescriptor()->full_name();
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    copy.SerializeToCodedStream(&coded);
  }
  uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : bytes) hash = (hash ^ c) * 1099511628211ULL;
  return absl::StrCat(absl::Hex(hash, absl::kZeroPad16));
}

std::string CorrelationId(grpc::CallbackServerContext* context) {
  auto it = context->client_metadata().find(kCorrelationHeader);
  if (it != context->client_metadata().end() && !it->second.empty() &&
      it->second.size() <= kMaxCorrelationIdBytes) {
    return std::string(it->second.data(), it->second.size());
  }
  return NewUuid();
}

}  // namespace

template <typename Request>
grpc::ServerUnaryReactor* OrderCommandService::Run(grpc::CallbackServerContext* context,
                                                   const Request* request,
                                                   domain::OrderCommand command,
                                                   ordo::v1::CommandResult* reply) {
  return UnaryOnWorkers(workers_, context,
                        [this, context, request, command = std::move(command), reply]() mutable {
                          return Execute(context, *request, std::move(command), reply);
                        });
}

template <typename Request>
grpc::Status OrderCommandService::Execute(grpc::CallbackServerContext* context,
                                          const Request& request, domain::OrderCommand command,
                                          ordo::v1::CommandResult* reply) {
  CommandContext command_context;
  command_context.request_id = request.request_id();
  // Only a recorded request is ever compared with its repeat.
  if (!request.request_id().empty()) command_context.fingerprint = Fingerprint(request);
  if (request.has_expected_version()) command_context.expected_version = request.expected_version();
  command_context.correlation_id = CorrelationId(context);
  command_context.peer = context->peer();
  command_context.deadline = CallDeadline(*context);
  context->AddInitialMetadata(kCorrelationHeader, command_context.correlation_id);

  absl::StatusOr<CommandOutcome> outcome = handler_.Handle(std::move(command), command_context);
  if (!outcome.ok()) return ToGrpcStatus(outcome.status());
  reply->set_order_id(outcome->order_id);
  reply->set_version(outcome->version);
  reply->set_consistency_token(store::EncodeConsistencyToken(outcome->position));
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* OrderCommandService::CreateOrder(
    grpc::CallbackServerContext* context, const ordo::v1::CreateOrderRequest* request,
    ordo::v1::CommandResult* reply) {
  return Run(context, request,
             domain::CreateOrder{request->order_id(), request->customer_id(), request->currency()},
             reply);
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
