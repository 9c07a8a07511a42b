// What every gRPC service shares: absl::Status -> grpc::Status, and a call's deadline
// bounded by a default budget for calls that come without one.
#ifndef ORDO_COMMON_GRPC_STATUS_H_
#define ORDO_COMMON_GRPC_STATUS_H_

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace ordo {

// The codes are the same numbers in both.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The call's deadline, or now + `budget` when it has none (or a later one).
absl::Time CallDeadline(const grpc::ServerContextBase& context,
                        absl::Duration budget = absl::Seconds(30));

}  // namespace ordo

#endif  // ORDO_COMMON_GRPC_STATUS_H_
