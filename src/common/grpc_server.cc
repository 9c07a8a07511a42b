// Server bootstrap shared by every Ordo service: listening port, TLS, tokens, health, reflection,
// a bounded thread count, call metrics, and graceful shutdown on SIGINT/SIGTERM.
#include "common/grpc_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/call_auth.h"
#include "common/call_interceptor.h"
#include "common/log.h"
#include "common/signals.h"
#include "grpc/health/v1/health.pb.h"

ABSL_FLAG(std::string, tls_cert, "",
          "PEM certificate chain to serve TLS with (with --tls_key); empty: plaintext");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, auth_tokens_file, "",
          "file of 'TOKEN ROLE' lines (ROLE reader, writer or admin; TOKEN may be "
          "sha256:<hex>): calls then need 'authorization: Bearer <token>'; empty: no tokens");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA certificates: clients must present a certificate signed by one (mutual TLS)");

namespace ordo {
namespace {

absl::StatusOr<std::string> ReadPem(const char* flag, const std::string& path) {
  std::ifstream file(path);
  std::stringstream contents;
  contents << file.rdbuf();
  if (!file || contents.str().empty()) {
    return absl::InvalidArgumentError(absl::StrCat("--", flag, ": cannot read ", path));
  }
  return contents.str();
}

// TLS credentials from the options' files, or plaintext when there is no certificate.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> Credentials(
    const GrpcServerOptions& options) {
  if (options.tls_cert_file.empty()) {
    if (!options.tls_key_file.empty() || !options.tls_client_ca_file.empty()) {
      return absl::InvalidArgumentError("--tls_cert: required with --tls_key or --tls_client_ca");
    }
    LogLine(absl::StrCat("TLS off: serving plaintext on ", options.listen,
                         " (--tls_cert and --tls_key turn it on)"));
    return grpc::InsecureServerCredentials();
  }
  if (options.tls_key_file.empty()) {
    return absl::InvalidArgumentError("--tls_key: required with --tls_cert");
  }
  grpc::SslServerCredentialsOptions ssl;
  absl::StatusOr<std::string> cert = ReadPem("tls_cert", options.tls_cert_file);
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadPem("tls_key", options.tls_key_file);
  if (!key.ok()) return key.status();
  ssl.pem_key_cert_pairs.push_back({*key, *cert});
  if (!options.tls_client_ca_file.empty()) {
    absl::StatusOr<std::string> ca = ReadPem("tls_client_ca", options.tls_client_ca_file);
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *ca;
    ssl.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  LogLine(absl::StrCat("TLS on", options.tls_client_ca_file.empty() ? "" : " (mutual)",
                       ": serving on ", options.listen));
  return grpc::SslServerCredentials(ssl);
}

// Bounds the threads of sync services: Ordo's own services are callback services that run
// their work on a WorkerPool; only server reflection is sync.
constexpr int kSyncServiceThreads = 16;

// The largest request any Ordo method takes is a few KB (field limits); 1 MiB leaves room.
constexpr int kMaxRequestBytes = 1 << 20;
constexpr int kMaxStreamsPerConnection = 256;
// A connection that has not finished its TLS and HTTP/2 handshake by then is closed, so
// silent connections cannot hold the server's file descriptors (gRPC's default is 120 s).
constexpr int kHandshakeTimeoutMs = 10 * 1000;

}  // namespace
absl::StatusOr<std::unique_ptr<GrpcServer>> GrpcServer::Start(
    const GrpcServerOptions& options, const std::vector<grpc::Service*>& services) {
  // gRPC 1.51's built-in health service has no descriptor; referencing the compiled-in one
  // keeps it linked so reflection (grpcurl, buf curl) can describe grpc.health.v1.Health.
  (void)grpc::health::v1::HealthCheckRequest::descriptor();
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials = Credentials(options);
  if (!credentials.ok()) return credentials.status();
  if (options.auth_tokens_file.empty()) {
    LogLine("tokens off: every caller may call every method (--auth_tokens_file turns them on)");
    SetCallTokens(nullptr);
  } else {
    absl::StatusOr<TokenTable> tokens = TokenTable::Load(options.auth_tokens_file);
    if (!tokens.ok()) return tokens.status();
    LogLine(
        absl::StrCat("tokens on: ", tokens->size(), " token(s) from ", options.auth_tokens_file));
    SetCallTokens(std::make_shared<const TokenTable>(*std::move(tokens)));
  }
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen, *credentials, &port);
  // Limits (DESIGN §14): a request larger than any Ordo takes is refused with
  // RESOURCE_EXHAUSTED before it is read whole; a connection may run 256 calls at once;
  // one that never completes its handshake is closed; idle connections are pinged, and a
  // client that pings too often is sent away.
  builder.SetMaxReceiveMessageSize(kMaxRequestBytes);
  builder.AddChannelArgument(GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS, kHandshakeTimeoutMs);
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

void ApplySecurityFlags(GrpcServerOptions& options) {
  options.tls_cert_file = absl::GetFlag(FLAGS_tls_cert);
  options.tls_key_file = absl::GetFlag(FLAGS_tls_key);
  options.tls_client_ca_file = absl::GetFlag(FLAGS_tls_client_ca);
  options.auth_tokens_file = absl::GetFlag(FLAGS_auth_tokens_file);
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
