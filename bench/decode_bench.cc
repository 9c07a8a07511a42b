// ordo-bench-decode: what one stored payload costs to decode (DESIGN §8), in ns per call
// over --iterations calls: the event contract's decoder (simdjson into the typed message
// through reflection), with and without an upcaster step, beside protobuf's own JSON
// parser on the same payload. Payloads as PostgreSQL's jsonb prints them.
#include <google/protobuf/util/json_util.h>

#include <cstdio>
#include <functional>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/time/clock.h"
#include "events/order_events.h"

ABSL_FLAG(int, iterations, 1000000, "calls per case");
ABSL_FLAG(std::string, only, "", "run only the case of this name (for a profile)");

namespace {

ordo::store::RecordedEvent Stored(const char* type, int schema_version, const char* payload) {
  ordo::store::RecordedEvent event;
  event.stream_id = "order-1";
  event.stream_type = ordo::events::kOrderStreamType;
  event.version = 2;
  event.event_type = type;
  event.schema_version = schema_version;
  event.payload_json = payload;
  return event;
}

void Measure(const char* label, const std::function<bool()>& call) {
  if (!absl::GetFlag(FLAGS_only).empty() && absl::GetFlag(FLAGS_only) != label) return;
  const int iterations = absl::GetFlag(FLAGS_iterations);
  int failures = 0;
  const absl::Time start = absl::Now();
  for (int i = 0; i < iterations; ++i) failures += call() ? 0 : 1;
  const double ns = absl::ToDoubleNanoseconds(absl::Now() - start) / iterations;
  std::printf("case=%s ns_per_call=%.0f failures=%d\n", label, ns, failures);
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const auto& codec = ordo::events::OrderEvents();
  const auto item = Stored(
      "OrderItemAdded", 1,
      R"({"sku": "tea-green-100g", "quantity": 2, "order_id": "order-1", "unit_price_cents": "1250"})");
  const auto created_v1 =
      Stored("OrderCreated", 1,
             R"({"currency": "EUR", "order_id": "order-1", "customer_id": "customer-7"})");
  const auto created_v2 =
      Stored("OrderCreated", 2,
             R"({"currency": "EUR", "customer": {"id": "customer-7", "email": "c7@example.com"},)"
             R"( "order_id": "order-1"})");
  Measure("decoder_OrderItemAdded", [&] { return codec.Decode(item).ok(); });
  Measure("decoder_OrderCreated_v2", [&] { return codec.Decode(created_v2).ok(); });
  Measure("decoder_OrderCreated_v1_upcast", [&] { return codec.Decode(created_v1).ok(); });
  Measure("protobuf_json_OrderItemAdded", [&] {
    ordo::v1::OrderItemAdded message;
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    return google::protobuf::util::JsonStringToMessage(item.payload_json, &message, options).ok();
  });
  return 0;
}
