// Per-method call counts by status code and call durations for a gRPC server (DESIGN §13):
// ordo_rpc_requests_total{method,code} and ordo_rpc_duration_seconds{method}, kept by a
// server interceptor. Only the methods of the services named at start get their own
// series; any other path a client sends counts as method "unknown".
#ifndef ORDO_COMMON_RPC_METRICS_H_
#define ORDO_COMMON_RPC_METRICS_H_

#include <grpcpp/support/server_interceptor.h>

#include <memory>
#include <string>
#include <vector>

namespace ordo {

// `service_names` are fully qualified ("ordo.v1.OrderCommandService"); their methods are
// found in the generated descriptor pool.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> RpcMetricsInterceptors(
    const std::vector<std::string>& service_names);

}  // namespace ordo

#endif  // ORDO_COMMON_RPC_METRICS_H_
