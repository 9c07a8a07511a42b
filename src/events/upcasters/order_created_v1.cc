// OrderCreated v1 -> v2 on the JSON.
#include "events/upcasters/order_created_v1.h"

#include <simdjson.h>

#include "events/json_payload.h"

namespace ordo::events {

absl::StatusOr<std::string> UpcastOrderCreatedV1(std::string_view v1_json) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(v1_json.data(), v1_json.size()).get(object) != simdjson::SUCCESS) {
    return absl::InvalidArgumentError("payload: not a JSON object");
  }
  std::string_view customer_id;
  bool has_customer_id = false;
  std::string out = "{";
  for (simdjson::dom::key_value_pair member : object) {
    if (member.key == "customer_id") {
      if (member.value.get_string().get(customer_id) != simdjson::SUCCESS) {
        return absl::InvalidArgumentError("customer_id: expected a string");
      }
      has_customer_id = true;
      continue;
    }
    // Every other field keeps its name and value.
    AppendJsonString(out, member.key);
    out.push_back(':');
    out += simdjson::minify(member.value);
    out.push_back(',');
  }
  if (!has_customer_id) return absl::InvalidArgumentError("customer_id: required field missing");
  out += "\"customer\":{\"id\":";
  AppendJsonString(out, customer_id);
  out += ",\"email\":\"\"}}";
  return out;
}

}  // namespace ordo::events
