// The part of an aggregate's traits (see command_handler.h) shared by every aggregate whose
// streams stay short (no snapshots) and whose replies report nothing of its state beyond
// the version: Order, Payment, Shipment. The domain's Decide and Apply overloads for the
// state do the work.
#ifndef ORDO_COMMAND_HANDLER_SHORT_STREAM_TRAITS_H_
#define ORDO_COMMAND_HANDLER_SHORT_STREAM_TRAITS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace ordo::command {
namespace short_stream_internal {

// Unqualified, so argument-dependent lookup finds the state's namespace's Decide and Apply.
template <typename State, typename Command>
auto DecideFor(const State& state, const Command& command) {
  return Decide(state, command);
}
template <typename State, typename Event>
void ApplyTo(State& state, const Event& event) {
  Apply(state, event);
}

}  // namespace short_stream_internal

template <typename StateT, typename CommandT, typename EventT>
struct ShortStreamTraits {
  using State = StateT;
  using Command = CommandT;
  using Event = EventT;
  struct Summary {};

  static constexpr int kSnapshotEvery = 0;
  static constexpr int kSnapshotSchemaVersion = 0;

  static absl::StatusOr<std::vector<Event>> Decide(const State& state, const Command& command) {
    return short_stream_internal::DecideFor(state, command);
  }
  static void Apply(State& state, const Event& event) {
    short_stream_internal::ApplyTo(state, event);
  }
  static Summary Summarize(const State&, const Command&) { return {}; }
  static std::string SnapshotJson(const State&) { return {}; }
  static absl::StatusOr<State> FromSnapshotJson(const std::string&) {
    return absl::UnimplementedError("short streams have no snapshots");
  }
};

}  // namespace ordo::command

#endif  // ORDO_COMMAND_HANDLER_SHORT_STREAM_TRAITS_H_
