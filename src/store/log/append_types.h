// What an append to the event store is made of and what it answers: shared by the store
// and its group commit.
#ifndef ORDO_STORE_LOG_APPEND_TYPES_H_
#define ORDO_STORE_LOG_APPEND_TYPES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/log/log_position.h"

namespace ordo::store {

struct NewEvent {
  std::string event_type;
  int32_t schema_version = 1;
  std::string payload_json;
};

// An idempotency key and a fingerprint of the request it stands for.
struct RequestKey {
  std::string request_id;
  std::string fingerprint;
};

struct AppendRequest {
  std::string stream_id;
  std::string stream_type;
  // The stream's current version, known from a read: 0 for a stream that must not exist.
  int32_t expected_version = 0;
  std::vector<NewEvent> events;      // at least one
  std::string metadata_json = "{}";  // stored with every event
  // When set, recorded with the outcome in the same transaction as the events.
  std::optional<RequestKey> request;
};

struct AppendResult {
  std::string stream_id;
  int32_t version = 0;   // the stream's version after the append
  LogPosition position;  // of the last appended event
};

}  // namespace ordo::store

#endif  // ORDO_STORE_LOG_APPEND_TYPES_H_
