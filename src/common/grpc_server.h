// Server bootstrap shared by every Ordo service: listening port, TLS, tokens, health, reflection,
// a bounded thread count, call metrics, and graceful shutdown on SIGINT/SIGTERM.
#ifndef ORDO_COMMON_GRPC_SERVER_H_
#define ORDO_COMMON_GRPC_SERVER_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace ordo {

struct GrpcServerOptions {
  // "host:port"; port 0 binds a free port (see GrpcServer::port()).
  std::string listen;
  // How long in-flight calls may run on after a shutdown signal.
  absl::Duration shutdown_grace = absl::Seconds(10);
  // Fully qualified service names reported SERVING by grpc.health.v1.Health.
  std::vector<std::string> health_service_names;
  // Counts and times every call (common/call_interceptor.h).
  bool rpc_metrics = false;
  // TLS (DESIGN §14): PEM files. Without a certificate the server speaks plaintext (and
  // says so in one log line at start); with a client CA it asks every client for a
  // certificate signed by it (mutual TLS).
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_client_ca_file;
  // Bearer tokens with roles (common/call_auth.h); empty: every call allowed (one log line
  // says so at start).
  std::string auth_tokens_file;
};

// Sets the TLS files and the tokens file of `options` from --tls_cert, --tls_key,
// --tls_client_ca and --auth_tokens_file.
void ApplySecurityFlags(GrpcServerOptions& options);

// A started gRPC server. The services must outlive it.
class GrpcServer {
 public:
  static absl::StatusOr<std::unique_ptr<GrpcServer>> Start(
      const GrpcServerOptions& options, const std::vector<grpc::Service*>& services);

  GrpcServer(const GrpcServer&) = delete;
  GrpcServer& operator=(const GrpcServer&) = delete;

  // The bound port.
  int port() const { return port_; }

  // Sets what grpc.health.v1.Health answers for `service_name` (any name, not only those
  // served here: ordo-query reports its subscribers this way).
  void SetServing(const std::string& service_name, bool serving);

  // Waits for SIGINT or SIGTERM (see common/signals.h), reports NOT_SERVING,
  // lets in-flight calls finish within the grace period, and returns once the server stopped.
  void RunUntilSignal();

 private:
  GrpcServer(std::unique_ptr<grpc::Server> server, int port, absl::Duration shutdown_grace)
      : server_(std::move(server)), port_(port), shutdown_grace_(shutdown_grace) {}

  std::unique_ptr<grpc::Server> server_;
  int port_;
  absl::Duration shutdown_grace_;
};

}  // namespace ordo

#endif  // ORDO_COMMON_GRPC_SERVER_H_
