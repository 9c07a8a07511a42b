// The one decoder (DESIGN §8): a stored event of one stream type to and from its typed
// envelope, the oneof message of that stream type (OrderEvent, InventoryEvent, ...). The
// stored event_type is the name of the set field's message, payload its proto3 JSON,
// schema_version its shape's version; reading lifts old versions through the upcasters,
// writing always writes the current one. Every reader of the log uses it. Immutable once
// built, so thread-safe to share.
#ifndef ORDO_EVENTS_EVENT_CODEC_H_
#define ORDO_EVENTS_EVENT_CODEC_H_

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "events/upcaster_chain.h"
#include "store/log/append_types.h"
#include "store/log/recorded_event.h"

namespace ordo::events {

// A stored payload lifted to the current shape of its event type.
struct CurrentPayload {
  int schema_version = 0;
  std::string json;
};

// Reflection-based and untyped; EventCodec<Envelope> below is the typed face.
class OneofCodec {
 public:
  // `envelope`: a message whose only oneof holds one message field per event type.
  OneofCodec(const google::protobuf::Descriptor& envelope, std::string stream_type,
             UpcasterChain upcasters);

  const std::string& stream_type() const { return stream_type_; }
  // Every event type of the stream type, in field order.
  const std::vector<std::string>& event_types() const { return event_types_; }
  bool Knows(const std::string& event_type) const { return by_type_.contains(event_type); }

  // INVALID_ARGUMENT when no event is set.
  absl::StatusOr<store::NewEvent> Encode(const google::protobuf::Message& envelope) const;

  // DATA_LOSS naming the event (stream, version, position, type and schema version) when
  // it does not decode: another stream type, an unknown event type or schema version, a
  // failing upcaster, bad JSON, a missing field, a wrong type.
  absl::Status Decode(const store::RecordedEvent& stored,
                      google::protobuf::Message& envelope) const;

  // The payload in the current shape, without decoding it into a message (for readers that
  // pass JSON on); the same errors as Decode.
  absl::StatusOr<CurrentPayload> Lift(const store::RecordedEvent& stored) const;

 private:
  absl::Status Undecodable(const store::RecordedEvent& stored, const absl::Status& why) const;

  const google::protobuf::Descriptor& envelope_;
  const std::string stream_type_;
  const UpcasterChain upcasters_;
  std::vector<std::string> event_types_;
  absl::flat_hash_map<std::string, const google::protobuf::FieldDescriptor*> by_type_;
};

template <typename Envelope>
class EventCodec {
 public:
  EventCodec(std::string stream_type, UpcasterChain upcasters)
      : codec_(*Envelope::descriptor(), std::move(stream_type), std::move(upcasters)) {}

  const std::string& stream_type() const { return codec_.stream_type(); }
  const std::vector<std::string>& event_types() const { return codec_.event_types(); }
  bool Knows(const std::string& event_type) const { return codec_.Knows(event_type); }

  absl::StatusOr<store::NewEvent> Encode(const Envelope& event) const {
    return codec_.Encode(event);
  }
  absl::StatusOr<Envelope> Decode(const store::RecordedEvent& stored) const {
    Envelope event;
    if (absl::Status s = codec_.Decode(stored, event); !s.ok()) return s;
    return event;
  }
  absl::StatusOr<CurrentPayload> Lift(const store::RecordedEvent& stored) const {
    return codec_.Lift(stored);
  }

 private:
  OneofCodec codec_;
};

}  // namespace ordo::events

#endif  // ORDO_EVENTS_EVENT_CODEC_H_
