// An event of the log as a RabbitMQ message (DESIGN §12): routing key
// <stream_type>.<event_type>, message id = event id (the consumers' key to drop duplicates),
// type, JSON content, persistent, headers stream_id, version, token, schema_version,
// correlation_id, causation_id and traceparent; the body is the envelope with the payload in its
// current (upcast) shape.
#ifndef ORDO_RELAY_EVENT_MESSAGE_H_
#define ORDO_RELAY_EVENT_MESSAGE_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "relay/amqp_connection.h"
#include "store/log/recorded_event.h"

namespace ordo::relay {

// DATA_LOSS when the payload cannot be lifted to its current shape.
absl::StatusOr<OutgoingMessage> EventMessage(const store::RecordedEvent& event);

// The event in a message body made by EventMessage, for consumers (its position and
// recorded_at are left out). INVALID_ARGUMENT naming what is missing or malformed.
absl::StatusOr<store::RecordedEvent> EventFromMessageBody(std::string_view body);

}  // namespace ordo::relay

#endif  // ORDO_RELAY_EVENT_MESSAGE_H_
