// A stored event as the API's RecordedEvent (the history APIs, the subscription stream):
// payload and metadata as Structs, the payload in the shape it was lifted to.
#ifndef ORDO_QUERY_READ_MODELS_RECORDED_EVENT_MESSAGE_H_
#define ORDO_QUERY_READ_MODELS_RECORDED_EVENT_MESSAGE_H_

#include "absl/status/status.h"
#include "events/event_codec.h"
#include "ordo/v1/query_service.pb.h"
#include "store/log/recorded_event.h"

namespace ordo::query {

// Fills `out` from `event` with `payload` (its current shape); DATA_LOSS when the payload
// or metadata is not a JSON object.
absl::Status FillRecordedEvent(const store::RecordedEvent& event,
                               const events::CurrentPayload& payload, ordo::v1::RecordedEvent* out);

}  // namespace ordo::query

#endif  // ORDO_QUERY_READ_MODELS_RECORDED_EVENT_MESSAGE_H_
