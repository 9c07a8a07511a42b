// The metadata stored with every event (DESIGN §3): what command made it, its request id,
// correlation and causation ids, and the peer that sent it. Read by subscribers that carry
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
};

// The fields found in `json`; missing ones (or JSON that does not parse) stay empty.
EventMetadata ParseEventMetadata(std::string_view json);

// As stored: a JSON object of the five fields.
std::string EventMetadataJson(const EventMetadata& metadata);

}  // namespace ordo::events

#endif  // ORDO_EVENTS_EVENT_METADATA_H_
