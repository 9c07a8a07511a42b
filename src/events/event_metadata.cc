// Event metadata to and from its stored JSON.
#include "events/event_metadata.h"

#include <simdjson.h>

#include "events/json_payload.h"

namespace ordo::events {
namespace {

std::string StringField(simdjson::dom::element object, const char* key) {
  std::string_view value;
  if (object[key].get(value) != simdjson::SUCCESS) return {};
  return std::string(value);
}

}  // namespace

EventMetadata ParseEventMetadata(std::string_view json) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS) return {};
  return EventMetadata{StringField(root, "command"),        StringField(root, "request_id"),
                       StringField(root, "correlation_id"), StringField(root, "causation_id"),
                       StringField(root, "peer"),           StringField(root, "traceparent"),
                       StringField(root, "trace_id")};
}

std::string EventMetadataJson(const EventMetadata& m) {
  std::string out = "{\"command\":";
  AppendJsonString(out, m.command);
  out += ",\"request_id\":";
  AppendJsonString(out, m.request_id);
  out += ",\"correlation_id\":";
  AppendJsonString(out, m.correlation_id);
  out += ",\"causation_id\":";
  AppendJsonString(out, m.causation_id);
  out += ",\"peer\":";
  AppendJsonString(out, m.peer);
  if (!m.traceparent.empty()) {
    out += ",\"traceparent\":";
    AppendJsonString(out, m.traceparent);
    out += ",\"trace_id\":";
    AppendJsonString(out, m.trace_id);
  }
  out += "}";
  return out;
}

}  // namespace ordo::events
