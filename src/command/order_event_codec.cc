// Maps Order events to and from their stored form (type name + proto3 JSON).
#include "command/order_event_codec.h"

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"

namespace ordo::command {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::OneofDescriptor;
using ordo::v1::OrderEvent;

const OneofDescriptor& EventOneof() {
  static const OneofDescriptor* oneof = OrderEvent::descriptor()->FindOneofByName("event");
  return *oneof;
}

}  // namespace

absl::StatusOr<store::NewEvent> EncodeOrderEvent(const OrderEvent& event) {
  const FieldDescriptor* field =
      OrderEvent::GetReflection()->GetOneofFieldDescriptor(event, &EventOneof());
  if (field == nullptr) return absl::InvalidArgumentError("event: no event set");
  const google::protobuf::Message& payload = OrderEvent::GetReflection()->GetMessage(event, field);
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  store::NewEvent stored;
  stored.event_type = field->message_type()->name();
  stored.schema_version = kOrderEventSchemaVersion;
  auto status = google::protobuf::util::MessageToJsonString(payload, &stored.payload_json, options);
  if (!status.ok()) return absl::InternalError(status.ToString());
  return stored;
}

absl::StatusOr<OrderEvent> DecodeOrderEvent(const store::RecordedEvent& stored) {
  const auto describe = [&] {
    return absl::StrCat("event ", stored.stream_id, "@", stored.version, " (", stored.event_type,
                        " v", stored.schema_version, ")");
  };
  if (stored.schema_version != kOrderEventSchemaVersion) {
    return absl::DataLossError(absl::StrCat(describe(), ": unsupported schema_version"));
  }
  const OneofDescriptor& oneof = EventOneof();
  for (int i = 0; i < oneof.field_count(); ++i) {
    const FieldDescriptor* field = oneof.field(i);
    if (field->message_type()->name() != stored.event_type) continue;
    OrderEvent event;
    google::protobuf::Message* payload = OrderEvent::GetReflection()->MutableMessage(&event, field);
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;  // fields added later must not break old readers
    auto status =
        google::protobuf::util::JsonStringToMessage(stored.payload_json, payload, options);
    if (!status.ok()) {
      return absl::DataLossError(absl::StrCat(describe(), ": ", status.ToString()));
    }
    return event;
  }
  return absl::DataLossError(absl::StrCat(describe(), ": unknown event type"));
}

}  // namespace ordo::command
