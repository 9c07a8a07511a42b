// An event of the log as a RabbitMQ message.
#include "relay/event_message.h"

#include <simdjson.h>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "events/any_stream_type.h"
#include "events/event_metadata.h"
#include "events/json_payload.h"
#include "store/log/log_position.h"

namespace ordo::relay {

absl::StatusOr<OutgoingMessage> EventMessage(const store::RecordedEvent& event) {
  absl::StatusOr<events::CurrentPayload> payload = events::LiftAnyStreamType(event);
  if (!payload.ok()) return payload.status();
  const std::string token = store::EncodeConsistencyToken(event.position);
  const events::EventMetadata metadata = events::ParseEventMetadata(event.metadata_json);

  OutgoingMessage message;
  message.routing_key = absl::StrCat(event.stream_type, ".", event.event_type);
  message.message_id = event.event_id;
  message.type = event.event_type;
  message.headers = {{"stream_id", event.stream_id},
                     {"version", int64_t{event.version}},
                     {"token", token},
                     {"schema_version", int64_t{payload->schema_version}}};
  if (!metadata.correlation_id.empty()) {
    message.headers.emplace_back("correlation_id", metadata.correlation_id);
  }
  if (!metadata.causation_id.empty()) {
    message.headers.emplace_back("causation_id", metadata.causation_id);
  }
  // W3C trace context as an AMQP header, the name OpenTelemetry's messaging
  // instrumentations read.
  if (!metadata.traceparent.empty()) {
    message.headers.emplace_back("traceparent", metadata.traceparent);
  }

  std::string& body = message.body;
  body.reserve(256 + payload->json.size() + event.metadata_json.size());
  body += "{\"event_id\":";
  events::AppendJsonString(body, event.event_id);
  body += ",\"stream_id\":";
  events::AppendJsonString(body, event.stream_id);
  body += ",\"stream_type\":";
  events::AppendJsonString(body, event.stream_type);
  absl::StrAppend(&body, ",\"version\":", event.version, ",\"event_type\":");
  events::AppendJsonString(body, event.event_type);
  absl::StrAppend(&body, ",\"schema_version\":", payload->schema_version, ",\"token\":");
  events::AppendJsonString(body, token);
  body += ",\"recorded_at\":";
  events::AppendJsonString(
      body, absl::FormatTime(absl::RFC3339_full, event.recorded_at, absl::UTCTimeZone()));
  absl::StrAppend(&body, ",\"payload\":", payload->json,
                  ",\"metadata\":", event.metadata_json.empty() ? "{}" : event.metadata_json, "}");
  return message;
}

absl::StatusOr<store::RecordedEvent> EventFromMessageBody(std::string_view body) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS || !root.is_object()) {
    return absl::InvalidArgumentError("body: not a JSON object");
  }
  store::RecordedEvent event;
  auto text = [&](const char* key, std::string& out) -> absl::Status {
    std::string_view value;
    if (root[key].get(value) != simdjson::SUCCESS || value.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("body.", key, ": a non-empty string required"));
    }
    out = std::string(value);
    return absl::OkStatus();
  };
  auto number = [&](const char* key, int32_t& out) -> absl::Status {
    int64_t value = 0;
    if (root[key].get(value) != simdjson::SUCCESS || value < 1 || value > INT32_MAX) {
      return absl::InvalidArgumentError(
          absl::StrCat("body.", key, ": a positive integer required"));
    }
    out = static_cast<int32_t>(value);
    return absl::OkStatus();
  };
  for (absl::Status s :
       {text("event_id", event.event_id), text("stream_id", event.stream_id),
        text("stream_type", event.stream_type), text("event_type", event.event_type),
        number("version", event.version), number("schema_version", event.schema_version)}) {
    if (!s.ok()) return s;
  }
  simdjson::dom::object payload;
  if (root["payload"].get(payload) != simdjson::SUCCESS) {
    return absl::InvalidArgumentError("body.payload: an object required");
  }
  event.payload_json = simdjson::minify(payload);
  simdjson::dom::object metadata;
  if (root["metadata"].get(metadata) == simdjson::SUCCESS) {
    event.metadata_json = simdjson::minify(metadata);
  }
  return event;
}

}  // namespace ordo::relay
