// ordo-query: serves ordo.v1.OrderQueryService, InventoryQueryService,
// FulfilmentQueryService, NotificationQueryService, EventStreamService and ProjectionService
// (plus health and reflection); with --run_projectors it also runs every projection
// in-process.
#include <cstdio>
#include <memory>
#include <optional>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/config.h"
#include "common/grpc_server.h"
#include "common/service_main.h"
#include "common/worker_pool.h"
#include "events/fulfilment_events.h"
#include "events/order_events.h"
#include "query/event_stream_service.h"
#include "query/fulfilment_query_service.h"
#include "query/inventory_query_service.h"
#include "query/notification_query_service.h"
#include "query/order_query_service.h"
#include "query/projection_service.h"
#include "query/projections.h"
#include "query/projector_host.h"
#include "query/read_models/fulfilment_read_model.h"
#include "query/read_models/notification_read_model.h"
#include "query/read_models/order_read_model.h"
#include "query/read_models/stock_read_model.h"
#include "query/read_models/stream_history.h"
#include "store/pg/connection_pool.h"
#include "store/projection/projection_admin.h"
#include "store/projection/subscriber_metrics.h"
#include "store/subscription/live_tail.h"

ABSL_FLAG(std::string, database_url, "",
          "PostgreSQL URL or connection string (env ORDO_DATABASE_URL)");
ABSL_FLAG(std::string, listen, "",
          "host:port to serve on (env ORDO_QUERY_LISTEN; default 127.0.0.1:50052)");
ABSL_FLAG(int, pool_size, 16, "database connections, and as many worker threads run the calls");
ABSL_FLAG(bool, run_projectors, false, "also run every projection in this process");
ABSL_FLAG(int, max_subscriptions, ordo::query::kDefaultMaxSubscriptions,
          "EventStreamService.Subscribe calls at once; RESOURCE_EXHAUSTED beyond");
ABSL_FLAG(int, subscription_window, 10000,
          "newest events kept in memory for live subscriptions; one further behind reads the "
          "database");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "how long in-flight calls may finish after SIGINT/SIGTERM");

namespace {

// A subscriber whose heartbeat is older than this is reported NOT_SERVING; its runner
// beats every second.
constexpr absl::Duration kSubscriberHeartbeatLimit = absl::Seconds(10);

}  // namespace

int main(int argc, char** argv) {
  const ordo::ServiceMain service("ordo-query", "Serves Ordo's read models over gRPC.", argc, argv);
  const std::string database_url =
      ordo::FlagOrEnv(absl::GetFlag(FLAGS_database_url), "ORDO_DATABASE_URL");
  const std::string listen =
      ordo::FlagOrEnv(absl::GetFlag(FLAGS_listen), "ORDO_QUERY_LISTEN", "127.0.0.1:50052");
  const int pool_size = absl::GetFlag(FLAGS_pool_size);
  if (database_url.empty())
    return service.Fail("--database_url (or ORDO_DATABASE_URL) is required");
  if (pool_size < 1 || pool_size > 1000) return service.Fail("--pool_size must be 1 to 1000");
  const int max_subscriptions = absl::GetFlag(FLAGS_max_subscriptions);
  if (max_subscriptions < 0 || max_subscriptions > 100000) {
    return service.Fail("--max_subscriptions must be 0 to 100000");
  }
  const int subscription_window = absl::GetFlag(FLAGS_subscription_window);
  if (subscription_window < 1 || subscription_window > 10000000) {
    return service.Fail("--subscription_window must be 1 to 10000000");
  }

  ordo::store::ConnectionPool pool({database_url, pool_size});
  ordo::store::ProjectionAdmin admin(pool);
  if (absl::StatusOr<ordo::store::ProjectionsOverview> ready =
          admin.Overview(absl::Now() + absl::Seconds(10));
      !ready.ok()) {
    return service.Fail(ready.status().message());
  }
  const auto projections = ordo::query::MakeProjections();
  std::optional<ordo::query::ProjectorHost> projectors;
  if (absl::GetFlag(FLAGS_run_projectors)) {
    ordo::store::SubscriptionRunnerOptions options;
    options.min_batch_interval = ordo::query::kDefaultProjectionBatchInterval;
    projectors.emplace(pool.connection_string(), projections, options);
  }

  ordo::query::OrderReadModel orders(pool);
  ordo::query::StreamHistory history(
      pool, "order", [](const std::string& order_id) { return order_id; },
      [](const ordo::store::RecordedEvent& e) { return ordo::events::OrderEvents().Lift(e); });
  ordo::query::StreamHistory fulfilment_history(
      pool, "fulfilment", ordo::events::FulfilmentStreamId,
      [](const ordo::store::RecordedEvent& e) { return ordo::events::FulfilmentEvents().Lift(e); });
  ordo::query::FulfilmentReadModel fulfilments(pool);
  ordo::query::StockReadModel stock(pool);
  ordo::query::NotificationReadModel notifications(pool);
  // One reader of the log's tail for every subscription.
  ordo::store::LiveTail live_tail(pool.connection_string(),
                                  {static_cast<size_t>(subscription_window)});
  live_tail.Start();
  // Declared before the server: the server, destroyed first, waits for every call first.
  // As many workers as connections: more only queue on the pool (measured slower). A
  // GetOrder waiting for its consistency token holds a worker while it waits.
  ordo::WorkerPool workers(pool_size);
  ordo::query::OrderQueryService query_service(orders, history, admin, workers);
  ordo::query::InventoryQueryService inventory_service(stock, admin, workers);
  ordo::query::FulfilmentQueryService fulfilment_service(fulfilments, fulfilment_history, admin,
                                                         workers);
  ordo::query::ProjectionService projection_service(admin, projections, workers);
  ordo::query::NotificationQueryService notification_service(notifications, workers);
  ordo::query::EventStreamService event_stream_service(pool, live_tail, workers, max_subscriptions);

  ordo::GrpcServerOptions options;
  options.listen = listen;
  options.shutdown_grace = absl::GetFlag(FLAGS_shutdown_grace);
  options.rpc_metrics = service.metrics_enabled();
  ordo::ApplySecurityFlags(options);
  options.health_service_names = {ordo::v1::OrderQueryService::service_full_name(),
                                  ordo::v1::InventoryQueryService::service_full_name(),
                                  ordo::v1::FulfilmentQueryService::service_full_name(),
                                  ordo::v1::NotificationQueryService::service_full_name(),
                                  ordo::v1::EventStreamService::service_full_name(),
                                  ordo::v1::ProjectionService::service_full_name()};
  absl::StatusOr<std::unique_ptr<ordo::GrpcServer>> server = ordo::GrpcServer::Start(
      options, {&query_service, &inventory_service, &fulfilment_service, &notification_service,
                &event_stream_service, &projection_service});
  if (!server.ok()) return service.Fail(server.status().message());

  // Health stays a heartbeat (DESIGN §13): ordo.subscriber.<name> is NOT_SERVING while that
  // subscriber's active runner has not completed a loop for kSubscriberHeartbeatLimit,
  // whatever its lag. Sampled with the lag gauges.
  ordo::store::SubscriberMetricsOptions sampling;
  sampling.extra = {ordo::query::FulfilmentsByStateGauge()};
  sampling.on_sample = [&server](const ordo::store::ProjectionsOverview& overview) {
    const absl::Time now = absl::Now();
    for (const ordo::store::ProjectionStatus& p : overview.projections) {
      (*server)->SetServing(
          absl::StrCat("ordo.subscriber.", p.name),
          p.last_heartbeat && now - *p.last_heartbeat < kSubscriberHeartbeatLimit);
    }
  };
  ordo::store::SubscriberMetrics subscriber_metrics(pool.connection_string(), sampling);
  subscriber_metrics.Start();

  std::printf("ordo-query listening on %s (port %d)\n", listen.c_str(), (*server)->port());
  std::fflush(stdout);
  (*server)->RunUntilSignal();
  return 0;
}
