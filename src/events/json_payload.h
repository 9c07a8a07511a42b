// Event payloads as proto3 JSON, both ways: printing with protobuf (the write path), and
// strict parsing with simdjson into any message through reflection (every reader).
// Parsing is strict where a silent default would hide a bad row: malformed JSON, a value
// of the wrong type or out of range, and a missing required field are errors. Required:
// every singular field without the `optional` keyword and outside a oneof. Unknown keys
// are ignored (a newer writer may have added a field). Thread-safe.
#ifndef ORDO_EVENTS_JSON_PAYLOAD_H_
#define ORDO_EVENTS_JSON_PAYLOAD_H_

#include <google/protobuf/message.h>

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace ordo::events {

// The proto3 JSON of `message` with the .proto field names, every present field printed
// (scalars with their default values too), 64-bit integers as strings.
absl::StatusOr<std::string> PrintJsonPayload(const google::protobuf::Message& message);

// Fills `message` (cleared first) from `json`. INVALID_ARGUMENT naming the field (as
// "a.b") or the JSON error when it does not decode. Maps and well-known types are not
// supported (no event uses them).
absl::Status ParseJsonPayload(std::string_view json, google::protobuf::Message& message);

// Appends `text` to `out` as a JSON string literal, quotes included.
void AppendJsonString(std::string& out, std::string_view text);

}  // namespace ordo::events

#endif  // ORDO_EVENTS_JSON_PAYLOAD_H_
