// The one decoder: stored events to and from their typed envelopes, through the upcasters.
#include "events/event_codec.h"

#include <cstdlib>
#include <iostream>
#include <optional>

#include "absl/strings/str_cat.h"
#include "events/json_payload.h"

namespace ordo::events {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::OneofDescriptor;

OneofCodec::OneofCodec(const google::protobuf::Descriptor& envelope, std::string stream_type,
                       UpcasterChain upcasters)
    : envelope_(envelope), stream_type_(std::move(stream_type)), upcasters_(std::move(upcasters)) {
  if (envelope.oneof_decl_count() != 1) {
    std::cerr << envelope.full_name() << " must have exactly one oneof\n";
    std::abort();
  }
  const OneofDescriptor& oneof = *envelope.oneof_decl(0);
  for (int i = 0; i < oneof.field_count(); ++i) {
    const FieldDescriptor* field = oneof.field(i);
    event_types_.push_back(field->message_type()->name());
    by_type_.emplace(field->message_type()->name(), field);
  }
}

absl::StatusOr<store::NewEvent> OneofCodec::Encode(const Message& envelope) const {
  const FieldDescriptor* field =
      envelope.GetReflection()->GetOneofFieldDescriptor(envelope, envelope_.oneof_decl(0));
  if (field == nullptr) return absl::InvalidArgumentError("event: no event set");
  store::NewEvent stored;
  stored.event_type = field->message_type()->name();
  stored.schema_version = upcasters_.CurrentVersion(stored.event_type);
  absl::StatusOr<std::string> json =
      PrintJsonPayload(envelope.GetReflection()->GetMessage(envelope, field));
  if (!json.ok()) return json.status();
  stored.payload_json = *std::move(json);
  return stored;
}

absl::Status OneofCodec::Undecodable(const store::RecordedEvent& stored,
                                     const absl::Status& why) const {
  return absl::DataLossError(absl::StrCat("event ", stored.stream_id, "@", stored.version,
                                          " at position ", stored.position.global_position, " (",
                                          stored.event_type, " v", stored.schema_version,
                                          "): ", why.message()));
}

absl::StatusOr<CurrentPayload> OneofCodec::Lift(const store::RecordedEvent& stored) const {
  if (stored.stream_type != stream_type_) {
    return Undecodable(
        stored, absl::InvalidArgumentError(absl::StrCat(
                    "not a ", stream_type_, " event (stream type ", stored.stream_type, ")")));
  }
  if (!Knows(stored.event_type)) {
    return Undecodable(stored, absl::InvalidArgumentError("unknown event type"));
  }
  CurrentPayload current{upcasters_.CurrentVersion(stored.event_type), stored.payload_json};
  if (absl::Status s = upcasters_.Lift(stored.event_type, stored.schema_version, current.json);
      !s.ok()) {
    return Undecodable(stored, s);
  }
  return current;
}

absl::Status OneofCodec::Decode(const store::RecordedEvent& stored, Message& envelope) const {
  const FieldDescriptor* field = nullptr;
  if (stored.stream_type == stream_type_) {
    auto it = by_type_.find(stored.event_type);
    if (it != by_type_.end()) field = it->second;
  }
  // The current version is parsed as stored (no copy); anything else goes through Lift,
  // which upcasts it or says why it cannot be read.
  std::optional<CurrentPayload> lifted;
  if (field == nullptr || stored.schema_version != upcasters_.CurrentVersion(stored.event_type)) {
    absl::StatusOr<CurrentPayload> current = Lift(stored);
    if (!current.ok()) return current.status();
    lifted = *std::move(current);
  }
  envelope.Clear();
  Message* payload = envelope.GetReflection()->MutableMessage(&envelope, field);
  if (absl::Status s = ParseJsonPayload(lifted ? lifted->json : stored.payload_json, *payload);
      !s.ok()) {
    return Undecodable(stored, s);
  }
  return absl::OkStatus();
}

}  // namespace ordo::events
