// Runs a runner for each projection (in ordo-projector, or in ordo-query with
// --run_projectors) until destroyed.
#ifndef ORDO_QUERY_PROJECTOR_HOST_H_
#define ORDO_QUERY_PROJECTOR_HOST_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "store/projection/projection.h"
#include "store/subscription/subscription_runner.h"

namespace ordo::query {

// How far apart live projection batches start under steady appends unless told otherwise
// (SubscriptionRunnerOptions::min_batch_interval; docs/benchmarks.md has the measurement).
inline constexpr absl::Duration kDefaultProjectionBatchInterval = absl::Milliseconds(5);

class ProjectorHost {
 public:
  // `projections` must outlive the host. Starts every runner.
  ProjectorHost(const std::string& connection_string,
                const std::vector<std::unique_ptr<store::Projection>>& projections,
                store::SubscriptionRunnerOptions options);
  ~ProjectorHost();  // stops every runner

 private:
  std::vector<std::unique_ptr<store::SubscriptionRunner>> runners_;
};

}  // namespace ordo::query

#endif  // ORDO_QUERY_PROJECTOR_HOST_H_
