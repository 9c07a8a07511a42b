// What the log's writers appended (DESIGN §13): ordo_events_appended_total{stream_type} and
// ordo_append_batch_size (appends per commit: above 1 when group commit shared one).
// Process-wide, thread-safe.
#ifndef ORDO_STORE_LOG_APPEND_METRICS_H_
#define ORDO_STORE_LOG_APPEND_METRICS_H_

#include <prometheus/counter.h>
#include <prometheus/histogram.h>

#include <cstddef>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace ordo::store {

class AppendMetrics {
 public:
  // The one instance; its series exist from the first call.
  static AppendMetrics& Get();

  // `events` of `stream_type` were written (by a commit, or in a subscriber's transaction
  // that commits with its checkpoint).
  void Appended(const std::string& stream_type, size_t events);
  // One commit carried `appends` appends.
  void Committed(size_t appends);

 private:
  AppendMetrics();

  absl::Mutex mu_;
  absl::flat_hash_map<std::string, prometheus::Counter*> by_stream_type_ ABSL_GUARDED_BY(mu_);
  prometheus::Histogram& appends_per_commit_;
};

}  // namespace ordo::store

#endif  // ORDO_STORE_LOG_APPEND_METRICS_H_
