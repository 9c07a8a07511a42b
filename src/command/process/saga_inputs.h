// The events the fulfilment saga reacts to, and how each becomes a SagaInput: decoded with
// its stream type's codec and correlated to its order (by stream id, or by the order id in
// the payload for stock events).
#ifndef ORDO_COMMAND_PROCESS_SAGA_INPUTS_H_
#define ORDO_COMMAND_PROCESS_SAGA_INPUTS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "command/process/fulfilment_decider.h"
#include "store/log/recorded_event.h"

namespace ordo::process {

// The saga's filter (DESIGN §10): these event types of these stream types.
std::vector<std::string> SagaInputEventTypes();
std::vector<std::string> SagaInputStreamTypes();

// How the metadata of every command the fulfilment saga sends names its peer (see
// SagaCommands): "ordo-saga fulfilment:<order_id>/<step>".
inline constexpr char kSagaPeerPrefix[] = "ordo-saga fulfilment:";

// nullopt for an event the saga does not react to; DATA_LOSS for one that does not decode.
absl::StatusOr<std::optional<SagaInput>> ToSagaInput(const store::RecordedEvent& event);

}  // namespace ordo::process

#endif  // ORDO_COMMAND_PROCESS_SAGA_INPUTS_H_
