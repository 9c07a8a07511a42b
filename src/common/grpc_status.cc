// absl::Status -> grpc::Status, and bounded call deadlines.
#include "common/grpc_status.h"

#include <algorithm>

#include "absl/time/clock.h"

namespace ordo {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

absl::Time CallDeadline(const grpc::ServerContextBase& context, absl::Duration budget) {
  return std::min(absl::Now() + budget, absl::FromChrono(context.deadline()));
}

}  // namespace ordo
