// The process's Prometheus metrics (DESIGN §13): one registry that every layer adds its
// series to, and the /metrics endpoint that serves it when --metrics_listen is set.
// Series are created once and kept (prometheus-cpp's counters, gauges and histograms are
// lock-free to update); never label a series with an id.
#ifndef ORDO_COMMON_METRICS_H_
#define ORDO_COMMON_METRICS_H_

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace prometheus {
class Exposer;
}  // namespace prometheus

namespace ordo {

// The registry every Ordo component adds to. A family registered twice under one name
// (two components of one kind in a process) is the same family.
prometheus::Registry& MetricsRegistry();

// Bucket bounds, in seconds, for the latency histograms: 0.25 ms to 10 s.
const prometheus::Histogram::BucketBoundaries& LatencyBuckets();

prometheus::Histogram& AddHistogram(const std::string& name, const std::string& help,
                                    const prometheus::Labels& labels,
                                    const prometheus::Histogram::BucketBoundaries& buckets);
prometheus::Counter& AddCounter(const std::string& name, const std::string& help,
                                const prometheus::Labels& labels = {});
prometheus::Gauge& AddGauge(const std::string& name, const std::string& help,
                            const prometheus::Labels& labels = {});

// Serves MetricsRegistry() as Prometheus text on http://<listen>/metrics.
class MetricsEndpoint {
 public:
  // `listen` is "host:port"; port 0 binds a free one. UNAVAILABLE when it cannot bind.
  static absl::StatusOr<std::unique_ptr<MetricsEndpoint>> Start(const std::string& listen);
  ~MetricsEndpoint();

  int port() const { return port_; }

 private:
  MetricsEndpoint(std::unique_ptr<prometheus::Exposer> exposer, int port);

  std::unique_ptr<prometheus::Exposer> exposer_;
  int port_;
};

}  // namespace ordo

#endif  // ORDO_COMMON_METRICS_H_
