// Maps Order events to and from their stored form: event_type is the payload message's
// name (e.g. "OrderItemAdded"), payload its proto3 JSON with the .proto field names.
#ifndef ORDO_COMMAND_ORDER_EVENT_CODEC_H_
#define ORDO_COMMAND_ORDER_EVENT_CODEC_H_

#include "absl/status/statusor.h"
#include "ordo/v1/events.pb.h"
#include "store/event_store.h"

namespace ordo::command {

inline constexpr char kOrderStreamType[] = "order";
inline constexpr int kOrderEventSchemaVersion = 1;

// INVALID_ARGUMENT when no event is set.
absl::StatusOr<store::NewEvent> EncodeOrderEvent(const ordo::v1::OrderEvent& event);

// DATA_LOSS when the stored event cannot be read (unknown type, newer schema, bad JSON).
absl::StatusOr<ordo::v1::OrderEvent> DecodeOrderEvent(const store::RecordedEvent& event);

}  // namespace ordo::command

#endif  // ORDO_COMMAND_ORDER_EVENT_CODEC_H_
