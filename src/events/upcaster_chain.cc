// Schema evolution of stored events: the chain of upcasters per event type.
#include "events/upcaster_chain.h"

#include <cstdlib>
#include <iostream>

#include "absl/strings/str_cat.h"

namespace ordo::events {

UpcasterChain& UpcasterChain::Add(std::string event_type, int from_version, Upcaster step) {
  int& current = current_.try_emplace(event_type, 1).first->second;
  if (from_version != current) {
    // A programming error in the registration code, caught by every test that builds it.
    std::cerr << "upcaster for " << event_type << " v" << from_version << " added out of order\n";
    std::abort();
  }
  steps_.emplace(std::make_pair(std::move(event_type), from_version), std::move(step));
  ++current;
  return *this;
}

int UpcasterChain::CurrentVersion(const std::string& event_type) const {
  auto it = current_.find(event_type);
  return it == current_.end() ? 1 : it->second;
}

absl::Status UpcasterChain::Lift(const std::string& event_type, int version,
                                 std::string& payload_json) const {
  const int current = CurrentVersion(event_type);
  if (version < 1 || version > current) {
    return absl::FailedPreconditionError(absl::StrCat(
        "schema_version ", version, " of ", event_type, " is unknown here (newest ", current, ")"));
  }
  for (int v = version; v < current; ++v) {
    const Upcaster& step = steps_.at({event_type, v});
    absl::StatusOr<std::string> lifted = step(payload_json);
    if (!lifted.ok()) {
      return absl::Status(lifted.status().code(),
                          absl::StrCat("upcasting ", event_type, " v", v, " to v", v + 1, ": ",
                                       lifted.status().message()));
    }
    payload_json = *std::move(lifted);
  }
  return absl::OkStatus();
}

}  // namespace ordo::events
