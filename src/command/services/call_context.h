// What every command service takes from a gRPC call besides the command: the request id and
// its fingerprint, the expected version, the correlation id (x-correlation-id, echoed back
// in the initial metadata), the trace context (traceparent), the peer and the deadline.
#ifndef ORDO_COMMAND_SERVICES_CALL_CONTEXT_H_
#define ORDO_COMMAND_SERVICES_CALL_CONTEXT_H_

#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include <string>

#include "command/handler/command_context.h"
#include "common/grpc_status.h"

namespace ordo::command {

// FNV-1a over the method name and the deterministic encoding of `request` without its
// request_id: equal for a retry of the same request, different for other content.
std::string Fingerprint(const google::protobuf::Message& request_without_id);

// The caller's x-correlation-id when it has a usable one, else a new UUID.
std::string CorrelationId(grpc::CallbackServerContext& call);

// A span of the caller's trace when it sent a valid traceparent, else a new trace.
TraceContext CommandTrace(grpc::CallbackServerContext& call);

// The gRPC status for a command that failed, logged with the call's ids: refusals (a
// rule, a version, bad input) at info level, failures (database, deadline) as warnings.
grpc::Status CommandFailed(const google::protobuf::Message& request, const absl::Status& status,
                           const CommandContext& context);

// `Request` has request_id and optional expected_version.
template <typename Request>
CommandContext ContextFromCall(grpc::CallbackServerContext& call, const Request& request) {
  CommandContext context;
  context.request_id = request.request_id();
  // Only a recorded request is ever compared with its repeat.
  if (!request.request_id().empty()) {
    Request copy = request;
    copy.clear_request_id();
    context.fingerprint = Fingerprint(copy);
  }
  if (request.has_expected_version()) context.expected_version = request.expected_version();
  context.correlation_id = CorrelationId(call);
  context.trace = CommandTrace(call);
  context.peer = call.peer();
  context.deadline = CallDeadline(call);
  call.AddInitialMetadata("x-correlation-id", context.correlation_id);
  return context;
}

}  // namespace ordo::command

#endif  // ORDO_COMMAND_SERVICES_CALL_CONTEXT_H_
