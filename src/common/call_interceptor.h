// What every Ordo gRPC server does around each call, in one server interceptor:
// - A request that does not parse (a string field with invalid UTF-8, a field of the wrong
//   wire type) ends INVALID_ARGUMENT naming the request message, instead of gRPC's own
//   UNIMPLEMENTED with no message (DESIGN §14).
// - With `metrics`: ordo_rpc_requests_total{method,code} and
//   ordo_rpc_duration_seconds{method} (DESIGN §13). Only the methods of the services named
//   get their own series; any other path a client sends counts as method "unknown".
#ifndef ORDO_COMMON_CALL_INTERCEPTOR_H_
#define ORDO_COMMON_CALL_INTERCEPTOR_H_

#include <grpcpp/support/server_interceptor.h>

#include <memory>
#include <string>
#include <vector>

namespace ordo {

// `service_names` are fully qualified ("ordo.v1.OrderCommandService"); their methods are
// found in the generated descriptor pool.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> CallInterceptors(
    const std::vector<std::string>& service_names, bool metrics);

}  // namespace ordo

#endif  // ORDO_COMMON_CALL_INTERCEPTOR_H_
