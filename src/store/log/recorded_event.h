// An event as stored in the log, and a request's idempotency record: plain values that
// every reader of the log shares (the store, the tail, the event contract in src/events).
#ifndef ORDO_STORE_LOG_RECORDED_EVENT_H_
#define ORDO_STORE_LOG_RECORDED_EVENT_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "store/log/append_types.h"
#include "store/log/log_position.h"

namespace ordo::store {

struct RecordedEvent {
  std::string stream_id;
  std::string stream_type;
  int32_t version = 0;
  LogPosition position;
  std::string event_id;
  std::string event_type;
  int32_t schema_version = 0;
  std::string payload_json;
  std::string metadata_json;
  absl::Time recorded_at;
};

struct RecordedRequest {
  std::string fingerprint;
  AppendResult result;
};

}  // namespace ordo::store

#endif  // ORDO_STORE_LOG_RECORDED_EVENT_H_
