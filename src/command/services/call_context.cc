// What every command service takes from a gRPC call besides the command.
#include "command/services/call_context.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "absl/strings/str_cat.h"
#include "common/ids.h"

namespace ordo::command {
namespace {

constexpr char kCorrelationHeader[] = "x-correlation-id";
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

}  // namespace ordo::command
