// Runs a runner for each projection until destroyed.
#include "query/projector_host.h"

namespace ordo::query {

ProjectorHost::ProjectorHost(const std::string& connection_string,
                             const std::vector<std::unique_ptr<store::Projection>>& projections,
                             store::SubscriptionRunnerOptions options) {
  for (const auto& projection : projections) {
    runners_.push_back(
        std::make_unique<store::SubscriptionRunner>(connection_string, *projection, options));
    runners_.back()->Start();
  }
}

ProjectorHost::~ProjectorHost() {
  for (auto& runner : runners_) runner->Stop();
}

}  // namespace ordo::query
