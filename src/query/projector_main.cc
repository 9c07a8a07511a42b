// ordo-projector: runs every projection (default), or operates them:
//   ordo-projector [run]          tail the event log into the read models until SIGTERM
//   ordo-projector status         checkpoints, lag, state and parked counts
//   ordo-projector rebuild NAME   ask the running projector to rebuild NAME from the start
//   ordo-projector rebaseline     after a dump/restore into a new cluster (see README)
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/config.h"
#include "common/log.h"
#include "common/service_main.h"
#include "common/signals.h"
#include "query/projections.h"
#include "query/projector_host.h"
#include "store/log/log_position.h"
#include "store/pg/connection_pool.h"
#include "store/projection/projection_admin.h"
#include "store/projection/subscriber_metrics.h"

ABSL_FLAG(std::string, database_url, "",
          "PostgreSQL URL or connection string (env ORDO_DATABASE_URL)");
ABSL_FLAG(int, batch_size, 1000, "events per projection transaction");
ABSL_FLAG(std::vector<std::string>, projections, {},
          "run only these projections (comma-separated names); empty: every one");
ABSL_FLAG(absl::Duration, poll_interval, absl::Milliseconds(500),
          "how often to look for new events without a NOTIFY");
ABSL_FLAG(absl::Duration, min_batch_interval, ordo::query::kDefaultProjectionBatchInterval,
          "under steady appends, live batches start at least this far apart (more events "
          "per transaction, up to this much more delay); 0: each batch at once");

namespace {

int Fail(absl::string_view message) {
  ordo::LogError(message);
  return 1;
}

int Run(const std::string& connection_string, bool metrics_enabled) {
  std::vector<std::unique_ptr<ordo::store::Projection>> projections;
  const std::vector<std::string> only = absl::GetFlag(FLAGS_projections);
  for (auto& projection : ordo::query::MakeProjections()) {
    if (only.empty() || std::find(only.begin(), only.end(), projection->name()) != only.end()) {
      projections.push_back(std::move(projection));
    }
  }
  if (projections.size() < only.size()) {
    return Fail("--projections names a projection that does not exist; see `status`");
  }
  ordo::store::SubscriptionRunnerOptions options;
  options.batch_size = absl::GetFlag(FLAGS_batch_size);
  options.poll_interval = absl::GetFlag(FLAGS_poll_interval);
  options.min_batch_interval = absl::GetFlag(FLAGS_min_batch_interval);
  {
    ordo::query::ProjectorHost host(connection_string, projections, options);
    ordo::store::SubscriberMetrics metrics(connection_string, {});
    if (metrics_enabled) metrics.Start();
    std::printf("ordo-projector running %zu projection(s)\n", projections.size());
    std::fflush(stdout);
    const int signal_number = ordo::WaitForShutdownSignal();
    ordo::LogLine(absl::StrCat("received signal ", signal_number, ", stopping"));
  }
  ordo::LogLine("stopped");
  return 0;
}

int Status(ordo::store::ProjectionAdmin& admin) {
  absl::StatusOr<ordo::store::ProjectionsOverview> overview =
      admin.Overview(absl::Now() + absl::Seconds(30));
  if (!overview.ok()) return Fail(overview.status().message());
  std::printf("%-20s %-11s %-22s %10s %9s %7s %s\n", "projection", "state", "checkpoint", "behind",
              "seconds", "parked", "last heartbeat");
  for (const auto& p : overview->projections) {
    std::printf(
        "%-20s %-11s %-22s %10lld %9.1f %7lld %s\n", p.name.c_str(), ordo::store::ToSql(p.state),
        ordo::store::EncodeConsistencyToken(p.checkpoint).c_str(),
        static_cast<long long>(p.events_behind), p.seconds_behind, static_cast<long long>(p.parked),
        p.last_heartbeat ? absl::FormatTime(*p.last_heartbeat).c_str() : "never");
    if (!p.last_error.empty()) std::printf("  last error: %s\n", p.last_error.c_str());
    if (p.rebuild_requested) std::printf("  rebuild requested, not yet taken up\n");
  }
  std::printf("oldest open transaction: %.1f s\n", overview->oldest_open_transaction_seconds);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const ordo::ServiceMain service(
      "ordo-projector",
      "ordo-projector [run | status | rebuild NAME | rebaseline] --database_url=URL", argc, argv);
  const std::vector<std::string> args = service.positional_arguments();
  const std::string database_url =
      ordo::FlagOrEnv(absl::GetFlag(FLAGS_database_url), "ORDO_DATABASE_URL");
  if (database_url.empty()) return Fail("--database_url (or ORDO_DATABASE_URL) is required");
  if (absl::GetFlag(FLAGS_batch_size) < 1) return Fail("--batch_size must be at least 1");
  if (absl::GetFlag(FLAGS_min_batch_interval) < absl::ZeroDuration() ||
      absl::GetFlag(FLAGS_min_batch_interval) > absl::Seconds(1)) {
    return Fail("--min_batch_interval must be 0 to 1s");
  }
  const std::string command = args.size() > 1 ? args[1] : "run";

  ordo::store::ConnectionPool pool({database_url, 2});
  ordo::store::ProjectionAdmin admin(pool);
  if (command == "run") {
    // Fail fast on an unreachable or unmigrated database.
    if (auto ready = admin.Overview(absl::Now() + absl::Seconds(10)); !ready.ok()) {
      return Fail(ready.status().message());
    }
    return Run(pool.connection_string(), service.metrics_enabled());
  }
  if (command == "status") return Status(admin);
  if (command == "rebuild" && args.size() == 3) {
    const auto projections = ordo::query::MakeProjections();
    ordo::store::Projection* projection = ordo::query::FindProjection(projections, args[2]);
    if (projection == nullptr) return Fail(absl::StrCat("no projection called '", args[2], "'"));
    absl::Status requested =
        admin.RequestRebuild(projection->name(), absl::Now() + absl::Seconds(60));
    if (!requested.ok()) return Fail(requested.message());
    std::printf(
        "%s: rebuild requested; the running projector empties it and rebuilds it from the "
        "first event; watch `ordo-projector status`\n",
        projection->name().c_str());
    return 0;
  }
  if (command == "rebaseline") {
    absl::StatusOr<std::string> done = admin.Rebaseline(absl::Now() + absl::Seconds(60));
    if (!done.ok()) return Fail(done.status().message());
    std::printf("%s\n", done->c_str());
    return 0;
  }
  return Fail(
      absl::StrCat("unknown command '", command, "'; use run, status, rebuild NAME or rebaseline"));
}
