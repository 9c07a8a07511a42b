// The gauges DESIGN §13 computes from the database rather than from a running loop, so they
// stay right while a subscriber is down and read the same from every process that exports
// them: for each subscriber in projection_checkpoints its lag in events and in seconds, its
// parked streams and the age of its heartbeat; the oldest open transaction's age; the saga
// timers, due and overdue, by owner; and any further counts a process adds (sagas by state).
// One thread samples them every `interval` over its own connection.
#ifndef ORDO_STORE_PROJECTION_SUBSCRIBER_METRICS_H_
#define ORDO_STORE_PROJECTION_SUBSCRIBER_METRICS_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/time.h"
#include "common/stop_signal.h"
#include "store/pg/connection_pool.h"
#include "store/projection/projection_admin.h"

namespace ordo::store {

class SubscriberGauges;

// A gauge family filled from a query of (label value text, value float8) rows; a label
// value missing from a later sample is set to 0.
struct GaugeQuery {
  std::string name;
  std::string help;
  std::string label;
  std::string sql;
};

struct SubscriberMetricsOptions {
  absl::Duration interval = absl::Seconds(2);
  std::vector<GaugeQuery> extra;
  // Called on the sampling thread after each successful sample (ordo-query's health).
  std::function<void(const ProjectionsOverview&)> on_sample;
};

class SubscriberMetrics {
 public:
  SubscriberMetrics(const std::string& connection_string, SubscriberMetricsOptions options);
  ~SubscriberMetrics();  // stops the thread
  SubscriberMetrics(const SubscriberMetrics&) = delete;
  SubscriberMetrics& operator=(const SubscriberMetrics&) = delete;

  void Start();

 private:
  void Loop();
  absl::Status SampleOnce();

  const SubscriberMetricsOptions options_;
  const std::unique_ptr<SubscriberGauges> gauges_;  // used by the thread alone
  ConnectionPool pool_;
  ProjectionAdmin admin_;
  StopSignal stop_;
  std::thread thread_;
};

}  // namespace ordo::store

#endif  // ORDO_STORE_PROJECTION_SUBSCRIBER_METRICS_H_
