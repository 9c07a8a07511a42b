// Server bootstrap shared by every Ordo service: listening port, health, reflection,
// a bounded thread count, call metrics, and graceful shutdown on SIGINT/SIGTERM.
#include "common/grpc_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/call_interceptor.h"
#include "common/log.h"
#include "common/signals.h"
#include "grpc/health/v1/health.pb.h"

namespace ordo {
namespace {

// Bounds the threads of sync services: Ordo's own services are callback services that run
// their work on a WorkerPool; only server reflection is sync.
constexpr int kSyncServiceThreads = 16;

// The largest request any Ordo method takes is a few KB (field limits); 1 MiB leaves room.
constexpr int kMaxRequestBytes = 1 << 20;
constexpr int kMaxStreamsPerConnection = 256;

}  // namespace
absl::StatusOr<std::unique_ptr<GrpcServer>> GrpcServer::Start(
    const GrpcServerOptions& options, const std::vector<grpc::Service*>& services) {
  // gRPC 1.51's built-in health service has no descriptor; referencing the compiled-in one
  // keeps it linked so reflection (grpcurl, buf curl) can describe grpc.health.v1.Health.
  (void)grpc::health::v1::HealthCheckRequest::descriptor();
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen, grpc::InsecureServerCredentials(), &port);
  // Limits (DESIGN §14): a request larger than any Ordo takes is refused with
  // RESOURCE_EXHAUSTED before it is read whole; a connection may run 256 calls at once;
  // idle connections are pinged, and a client that pings too often is sent away.
  builder.SetMaxReceiveMessageSize(kMaxRequestBytes);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, kMaxStreamsPerConnection);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60 * 1000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20 * 1000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10 * 1000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 2);
  grpc::ResourceQuota quota("ordo-server");
  quota.SetMaxThreads(kSyncServiceThreads);
  builder.SetResourceQuota(quota);
  for (grpc::Service* service : services) builder.RegisterService(service);
  {
    std::vector<std::string> names = options.health_service_names;
    names.push_back("grpc.health.v1.Health");
    names.push_back("grpc.reflection.v1alpha.ServerReflection");
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
    creators.push_back(CallInterceptors(names, options.rpc_metrics));
    builder.experimental().SetInterceptorCreators(std::move(creators));
  }

  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", options.listen));
  }
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  for (const std::string& name : options.health_service_names) {
    health->SetServingStatus(name, true);
  }
  return std::unique_ptr<GrpcServer>(
      new GrpcServer(std::move(server), port, options.shutdown_grace));
}

void GrpcServer::SetServing(const std::string& service_name, bool serving) {
  server_->GetHealthCheckService()->SetServingStatus(service_name, serving);
}

void GrpcServer::RunUntilSignal() {
  const int signal_number = WaitForShutdownSignal();
  LogLine(
      absl::StrCat("received signal ", signal_number, ", shutting down: draining in-flight calls"));
  server_->GetHealthCheckService()->Shutdown();
  server_->Shutdown(absl::ToChronoTime(absl::Now() + shutdown_grace_));
  server_->Wait();
  LogLine("stopped");
}

}  // namespace ordo
