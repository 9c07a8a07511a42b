// The metadata stored with every event (DESIGN §3): what command made it, its request id,
// correlation and causation ids, the peer that sent it, and its W3C trace context
// (DESIGN §13). Read by subscribers that carry
// a flow on (the saga), written by those that append outside a command (the saga).
#ifndef ORDO_EVENTS_EVENT_METADATA_H_
#define ORDO_EVENTS_EVENT_METADATA_H_

#include <string>
#include <string_view>

namespace ordo::events {

struct EventMetadata {
  std::string command;
  std::string request_id;
  std::string correlation_id;
  std::string causation_id;
  std::string peer;
  std::string traceparent;  // of the span that wrote the event
  std::string trace_id;     // the traceparent's trace id, for queries over the metadata
};

// The fields found in `json`; missing ones (or JSON that does not parse) stay empty.
EventMetadata ParseEventMetadata(std::string_view json);

// As stored: a JSON object of the fields; the trace fields only when set.
std::string EventMetadataJson(const EventMetadata& metadata);

}  // namespace ordo::events

#endif  // ORDO_EVENTS_EVENT_METADATA_H_
