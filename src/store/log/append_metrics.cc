// What the log's writers appended.
#include "store/log/append_metrics.h"

#include "common/metrics.h"

namespace ordo::store {

AppendMetrics& AppendMetrics::Get() {
  static AppendMetrics* metrics = new AppendMetrics();
  return *metrics;
}

AppendMetrics::AppendMetrics()
    : appends_per_commit_(
          AddHistogram("ordo_append_batch_size",
                       "Appends (commands) per commit: above 1 when group commit shared one.", {},
                       {1, 2, 4, 8, 16, 32, 64, 128})) {}

void AppendMetrics::Appended(const std::string& stream_type, size_t events) {
  prometheus::Counter* counter;
  {
    absl::MutexLock lock(&mu_);
    prometheus::Counter*& found = by_stream_type_[stream_type];
    if (found == nullptr) {
      found = &AddCounter("ordo_events_appended_total", "Events appended, by stream type.",
                          {{"stream_type", stream_type}});
    }
    counter = found;
  }
  counter->Increment(static_cast<double>(events));
}

void AppendMetrics::Committed(size_t appends) {
  appends_per_commit_.Observe(static_cast<double>(appends));
}

}  // namespace ordo::store
