// What every command service takes from a gRPC call besides the command.
#include "command/services/call_context.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "absl/strings/str_cat.h"
#include "common/ids.h"
#include "common/log.h"
#include "common/trace_context.h"

namespace ordo::command {
namespace {

constexpr char kCorrelationHeader[] = "x-correlation-id";
constexpr char kTraceparentHeader[] = "traceparent";
constexpr size_t kMaxCorrelationIdBytes = 128;

}  // namespace

std::string Fingerprint(const google::protobuf::Message& request_without_id) {
  std::string bytes = request_without_id.GetDescriptor()->full_name();
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    request_without_id.SerializeToCodedStream(&coded);
  }
  uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : bytes) hash = (hash ^ c) * 1099511628211ULL;
  return absl::StrCat(absl::Hex(hash, absl::kZeroPad16));
}

std::string CorrelationId(grpc::CallbackServerContext& call) {
  auto it = call.client_metadata().find(kCorrelationHeader);
  if (it != call.client_metadata().end() && !it->second.empty() &&
      it->second.size() <= kMaxCorrelationIdBytes) {
    return std::string(it->second.data(), it->second.size());
  }
  return NewUuid();
}

TraceContext CommandTrace(grpc::CallbackServerContext& call) {
  auto it = call.client_metadata().find(kTraceparentHeader);
  const absl::string_view sent = it == call.client_metadata().end()
                                     ? ""
                                     : absl::string_view(it->second.data(), it->second.size());
  return ContinueTrace(sent);
}

grpc::Status CommandFailed(const google::protobuf::Message& request, const absl::Status& status,
                           const CommandContext& context) {
  const bool refused = absl::IsInvalidArgument(status) || absl::IsFailedPrecondition(status) ||
                       absl::IsAborted(status) || absl::IsAlreadyExists(status) ||
                       absl::IsNotFound(status) || absl::IsOutOfRange(status);
  Log(refused ? LogLevel::kInfo : LogLevel::kWarning,
      absl::StrCat(request.GetDescriptor()->name(), refused ? " refused: " : " failed: ",
                   absl::StatusCodeToString(status.code()), ": ", status.message()),
      LogContext{context.correlation_id, context.request_id, context.trace.trace_id});
  return ToGrpcStatus(status);
}

}  // namespace ordo::command
