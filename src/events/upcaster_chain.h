// Schema evolution of stored events (DESIGN §8): per event type, a chain of pure steps that
// each lift a payload's JSON from schema version n to n+1. Stored rows are never rewritten;
// readers lift what they read, writers write the newest version. Immutable once built, so
// thread-safe to share.
#ifndef ORDO_EVENTS_UPCASTER_CHAIN_H_
#define ORDO_EVENTS_UPCASTER_CHAIN_H_

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace ordo::events {

// Lifts one payload (JSON of version n) to version n+1; INVALID_ARGUMENT when the payload
// is not a valid version n.
using Upcaster = std::function<absl::StatusOr<std::string>(std::string_view payload_json)>;

class UpcasterChain {
 public:
  // Registers the step of `event_type` from `from_version` (1 or more) to from_version + 1.
  // Steps of one type must be added in order, from version 1 without gaps.
  UpcasterChain& Add(std::string event_type, int from_version, Upcaster step);

  // The version writers write: one past the last step, 1 without any.
  int CurrentVersion(const std::string& event_type) const;

  // Lifts `payload_json` of `event_type` at `version` to the current version, in place.
  // FAILED_PRECONDITION for a version newer than this code knows (a newer writer) or below
  // 1; the step's error when a step fails.
  absl::Status Lift(const std::string& event_type, int version, std::string& payload_json) const;

 private:
  std::map<std::pair<std::string, int>, Upcaster> steps_;
  std::map<std::string, int> current_;
};

}  // namespace ordo::events

#endif  // ORDO_EVENTS_UPCASTER_CHAIN_H_
