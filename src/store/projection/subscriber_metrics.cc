// Samples the database-side gauges of DESIGN §13.
#include "store/projection/subscriber_metrics.h"

#include <limits>
#include <pqxx/nontransaction>
#include <pqxx/result>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/log.h"
#include "common/metrics.h"
#include "common/status_macros.h"
#include "store/pg/pg_status.h"

namespace ordo::store {
namespace {

const GaugeQuery& TimersQuery() {
  static const auto* query = new GaugeQuery{
      "ordo_saga_timers_overdue",
      "Saga timers (deadlines and activities) more than 5 s past due and not yet fired, by "
      "owner.",
      "owner",
      // Every subscriber gets its series (0 without timers), so the family is always there.
      "SELECT c.name, count(t.owner) FILTER (WHERE t.due_at < now() - interval '5 seconds')"
      "::float8 FROM projection_checkpoints c LEFT JOIN saga_timers t ON t.owner = c.name "
      "GROUP BY c.name"};
  return *query;
}

// One gauge family whose label values come and go with the rows of a query.
class GaugeSet {
 public:
  GaugeSet(const std::string& name, const std::string& help, std::string label)
      : family_(prometheus::BuildGauge().Name(name).Help(help).Register(MetricsRegistry())),
        label_(std::move(label)) {}

  // Sets the values seen; the ones not seen this time go to `missing`.
  void Update(const absl::flat_hash_map<std::string, double>& values, double missing = 0) {
    for (auto& [key, gauge] : gauges_) {
      if (!values.contains(key)) gauge->Set(missing);
    }
    for (const auto& [key, value] : values) {
      prometheus::Gauge*& gauge = gauges_[key];
      if (gauge == nullptr) gauge = &family_.Add({{label_, key}});
      gauge->Set(value);
    }
  }

 private:
  prometheus::Family<prometheus::Gauge>& family_;
  const std::string label_;
  absl::flat_hash_map<std::string, prometheus::Gauge*> gauges_;
};

}  // namespace

class SubscriberGauges {
 public:
  GaugeSet lag_events{"ordo_subscriber_lag_events",
                      "Events in the log after the subscriber's checkpoint.", "subscriber"};
  GaugeSet lag_seconds{"ordo_subscriber_lag_seconds",
                       "Age of the oldest event the subscriber has not handled; 0 when it is "
                       "caught up.",
                       "subscriber"};
  GaugeSet parked_streams{"ordo_subscriber_parked_streams",
                          "Streams the subscriber parked (open dead letters).", "subscriber"};
  GaugeSet heartbeat_age{"ordo_subscriber_heartbeat_age_seconds",
                         "Time since the subscriber's active runner last completed a loop "
                         "(+Inf: never).",
                         "subscriber"};
  GaugeSet rebuilding{"ordo_subscriber_rebuilding",
                      "1 while the subscriber catches up after a rebuild reset.", "subscriber"};
  GaugeSet failed{"ordo_subscriber_failed",
                  "1 when a rebuild stopped at an event it cannot apply (see last_error).",
                  "subscriber"};
  prometheus::Gauge& oldest_transaction =
      AddGauge("ordo_oldest_transaction_age_seconds",
               "Age of the oldest open transaction in the cluster that holds an xid or a "
               "snapshot: it holds every subscriber's tail back.");
  prometheus::Gauge& up = AddGauge("ordo_subscriber_metrics_up",
                                   "1 when the last sample of these gauges read the database.");
  // The GaugeQuery families, by name.
  absl::flat_hash_map<std::string, std::unique_ptr<GaugeSet>> queried;
};

SubscriberMetrics::SubscriberMetrics(const std::string& connection_string,
                                     SubscriberMetricsOptions options)
    : options_(std::move(options)),
      gauges_(std::make_unique<SubscriberGauges>()),
      pool_({connection_string, 1, absl::Seconds(3), "SET statement_timeout = '5s'"}),
      admin_(pool_) {}

SubscriberMetrics::~SubscriberMetrics() {
  stop_.Raise();
  if (thread_.joinable()) thread_.join();
}

void SubscriberMetrics::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void SubscriberMetrics::Loop() {
  std::string last_error;
  do {
    absl::Status sampled = SampleOnce();
    gauges_->up.Set(sampled.ok() ? 1 : 0);
    if (!sampled.ok() && sampled.message() != last_error) {
      Log(LogLevel::kWarning, absl::StrCat("metrics sample: ", sampled.message()));
    }
    last_error = sampled.ok() ? "" : std::string(sampled.message());
  } while (!stop_.WaitFor(options_.interval));
}

absl::Status SubscriberMetrics::SampleOnce() {
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  ORDO_ASSIGN_OR_RETURN(ProjectionsOverview overview, admin_.Overview(deadline));
  SubscriberGauges& gauges = *gauges_;
  absl::flat_hash_map<std::string, double> events, seconds, parked, heartbeat, rebuilding, failed;
  const absl::Time now = absl::Now();
  for (const ProjectionStatus& p : overview.projections) {
    events[p.name] = static_cast<double>(p.events_behind);
    seconds[p.name] = p.seconds_behind;
    parked[p.name] = static_cast<double>(p.parked_streams);
    heartbeat[p.name] = p.last_heartbeat
                            ? std::max(0.0, absl::ToDoubleSeconds(now - *p.last_heartbeat))
                            : std::numeric_limits<double>::infinity();
    rebuilding[p.name] = p.state == CheckpointState::kRebuilding ? 1 : 0;
    failed[p.name] = p.state == CheckpointState::kFailed ? 1 : 0;
  }
  gauges.lag_events.Update(events);
  gauges.lag_seconds.Update(seconds);
  gauges.parked_streams.Update(parked);
  gauges.heartbeat_age.Update(heartbeat, std::numeric_limits<double>::infinity());
  gauges.rebuilding.Update(rebuilding);
  gauges.failed.Update(failed);
  gauges.oldest_transaction.Set(overview.oldest_open_transaction_seconds);

  std::vector<const GaugeQuery*> queries = {&TimersQuery()};
  for (const GaugeQuery& query : options_.extra) queries.push_back(&query);
  ORDO_ASSIGN_OR_RETURN(ConnectionPool::Lease connection, pool_.Acquire(deadline));
  for (const GaugeQuery* query : queries) {
    absl::flat_hash_map<std::string, double> values;
    ORDO_RETURN_IF_ERROR(GuardPq(query->name, [&]() -> absl::Status {
      pqxx::nontransaction tx(*connection);
      for (const pqxx::row& row : tx.exec(query->sql)) {
        values[row[0].as<std::string>()] = row[1].as<double>();
      }
      return absl::OkStatus();
    }));
    std::unique_ptr<GaugeSet>& set = gauges.queried[query->name];
    if (set == nullptr) set = std::make_unique<GaugeSet>(query->name, query->help, query->label);
    set->Update(values);
  }
  if (options_.on_sample) options_.on_sample(overview);
  return absl::OkStatus();
}

}  // namespace ordo::store
