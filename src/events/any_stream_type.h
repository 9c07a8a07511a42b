// Payloads of any stream type for readers that take the whole log (the relay, the
// subscription stream): each event lifted to its current shape by its stream type's codec.
#ifndef ORDO_EVENTS_ANY_STREAM_TYPE_H_
#define ORDO_EVENTS_ANY_STREAM_TYPE_H_

#include "absl/status/statusor.h"
#include "events/event_codec.h"
#include "store/log/recorded_event.h"

namespace ordo::events {

// The payload in the current shape of its event type. A stream type this code does not
// know (written by a newer version) passes on as stored. The codec's DATA_LOSS when a known
// one does not lift.
absl::StatusOr<CurrentPayload> LiftAnyStreamType(const store::RecordedEvent& stored);

}  // namespace ordo::events

#endif  // ORDO_EVENTS_ANY_STREAM_TYPE_H_
