// ordo-command: serves ordo.v1.OrderCommandService and ordo.v1.InventoryCommandService
// (plus health and reflection).
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <optional>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "command/handler/inventory_traits.h"
#include "command/handler/order_traits.h"
#include "command/services/inventory_command_service.h"
#include "command/services/order_command_service.h"
#include "common/config.h"
#include "common/grpc_server.h"
#include "common/service_main.h"
#include "common/worker_pool.h"
#include "store/log/event_store.h"
#include "store/log/request_expiry.h"
#include "store/pg/connection_pool.h"

ABSL_FLAG(std::string, database_url, "",
          "PostgreSQL URL or connection string (env ORDO_DATABASE_URL)");
ABSL_FLAG(std::string, listen, "",
          "host:port to serve on (env ORDO_LISTEN; default 127.0.0.1:50051)");
ABSL_FLAG(int, pool_size, 16, "database connections, and as many worker threads run the commands");
ABSL_FLAG(std::string, notify, "after_commit",
          "how appends wake projectors: after_commit (coalesced NOTIFY outside the append "
          "transaction), in_transaction (NOTIFY inside it; for comparison), or off (poll only)");
ABSL_FLAG(int, group_commit, 64,
          "at most this many concurrent commands on different orders share one append "
          "statement and commit (group commit); 1 turns it off");
ABSL_FLAG(int, aggregate_cache_size, 10000,
          "aggregates of each stream type kept in their last committed state (a command on "
          "one of them reads nothing first); 0: none");
ABSL_FLAG(absl::Duration, request_retention, absl::Hours(24 * 7),
          "how long idempotency records are kept: a request_id repeated later is a new "
          "request; 0 keeps them for ever");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "how long in-flight calls may finish after SIGINT/SIGTERM");

int main(int argc, char** argv) {
  const ordo::ServiceMain service(
      "ordo-command",
      "Serves ordo.v1.OrderCommandService and ordo.v1.InventoryCommandService over gRPC.", argc,
      argv);

  const std::string database_url =
      ordo::FlagOrEnv(absl::GetFlag(FLAGS_database_url), "ORDO_DATABASE_URL");
  const std::string listen =
      ordo::FlagOrEnv(absl::GetFlag(FLAGS_listen), "ORDO_LISTEN", "127.0.0.1:50051");
  const int pool_size = absl::GetFlag(FLAGS_pool_size);
  if (database_url.empty())
    return service.Fail("--database_url (or ORDO_DATABASE_URL) is required");
  if (pool_size < 1 || pool_size > 1000) return service.Fail("--pool_size must be 1 to 1000");
  const int cache_size = absl::GetFlag(FLAGS_aggregate_cache_size);
  if (cache_size < 0) return service.Fail("--aggregate_cache_size must not be negative");

  const std::string notify = absl::GetFlag(FLAGS_notify);
  ordo::store::NotifyMode notify_mode;
  if (notify == "after_commit") {
    notify_mode = ordo::store::NotifyMode::kAfterCommit;
  } else if (notify == "in_transaction") {
    notify_mode = ordo::store::NotifyMode::kInTransaction;
  } else if (notify == "off") {
    notify_mode = ordo::store::NotifyMode::kOff;
  } else {
    return service.Fail("--notify must be after_commit, in_transaction or off");
  }

  // The append statements are the same few shapes over and over, each an index look-up
  // whatever the values: plan them once per connection. Left to choose, PostgreSQL kept
  // planning the batch append anew on every call, at more cost than running it.
  ordo::store::ConnectionPool pool(
      {database_url, pool_size, absl::Seconds(3), "SET plan_cache_mode = force_generic_plan"});
  ordo::store::ChangeNotifier notifier(pool.connection_string());
  ordo::store::EventStore store(
      pool, {notify_mode, &notifier, std::max(1, absl::GetFlag(FLAGS_group_commit))});
  if (absl::Status ready = store.CheckReady(absl::Now() + absl::Seconds(10)); !ready.ok()) {
    return service.Fail(ready.message());
  }
  const absl::Duration retention = absl::GetFlag(FLAGS_request_retention);
  if (retention < absl::ZeroDuration())
    return service.Fail("--request_retention must not be negative");
  std::optional<ordo::store::RequestExpiry> expiry;
  if (retention > absl::ZeroDuration()) {
    expiry.emplace(pool.connection_string(), ordo::store::RequestExpiryOptions{retention});
    expiry->Start();
  }
  ordo::command::CommandHandlerOptions handler_options;
  handler_options.cache_capacity = static_cast<size_t>(cache_size);
  ordo::command::OrderCommandHandler orders(store, handler_options);
  ordo::command::InventoryCommandHandler inventory(store, handler_options);
  // Declared before the server: the server, destroyed first, waits for every call first.
  ordo::WorkerPool workers(pool_size);
  ordo::command::OrderCommandService order_service(orders, workers);
  ordo::command::InventoryCommandService inventory_service(inventory, workers);

  ordo::GrpcServerOptions options;
  options.listen = listen;
  options.shutdown_grace = absl::GetFlag(FLAGS_shutdown_grace);
  options.rpc_metrics = service.metrics_enabled();
  ordo::ApplySecurityFlags(options);
  options.health_service_names = {ordo::v1::OrderCommandService::service_full_name(),
                                  ordo::v1::InventoryCommandService::service_full_name()};
  absl::StatusOr<std::unique_ptr<ordo::GrpcServer>> server =
      ordo::GrpcServer::Start(options, {&order_service, &inventory_service});
  if (!server.ok()) return service.Fail(server.status().message());

  // Tests and scripts read the bound port from this line.
  std::printf("ordo-command listening on %s (port %d)\n", listen.c_str(), (*server)->port());
  std::fflush(stdout);
  (*server)->RunUntilSignal();
  return 0;
}
