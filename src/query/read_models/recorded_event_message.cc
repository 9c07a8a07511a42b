// A stored event as the API's RecordedEvent.
#include "query/read_models/recorded_event_message.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include "common/status_macros.h"

namespace ordo::query {
namespace {

absl::Status JsonToStruct(const std::string& json, google::protobuf::Struct* out) {
  auto status = google::protobuf::util::JsonStringToMessage(json, out);
  if (!status.ok()) return absl::DataLossError(status.ToString());
  return absl::OkStatus();
}

}  // namespace

absl::Status FillRecordedEvent(const store::RecordedEvent& event,
                               const events::CurrentPayload& payload,
                               ordo::v1::RecordedEvent* out) {
  out->set_event_id(event.event_id);
  out->set_event_type(event.event_type);
  out->set_schema_version(payload.schema_version);
  out->set_version(event.version);
  out->set_global_position(event.position.global_position);
  *out->mutable_recorded_at() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(event.recorded_at));
  ORDO_RETURN_IF_ERROR(JsonToStruct(payload.json, out->mutable_payload()));
  ORDO_RETURN_IF_ERROR(JsonToStruct(event.metadata_json, out->mutable_metadata()));
  return absl::OkStatus();
}

}  // namespace ordo::query
