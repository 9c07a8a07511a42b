// A position in the event log in tailing order: (tx_id, global_position). Also the
// consistency token handed to clients, which is such a position encoded as a short string.
#ifndef ORDO_STORE_LOG_LOG_POSITION_H_
#define ORDO_STORE_LOG_LOG_POSITION_H_

#include <cstdint>
#include <string>
#include <tuple>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ordo::store {

struct LogPosition {
  uint64_t tx_id = 0;           // events.tx_id (xid8) of the writing transaction
  int64_t global_position = 0;  // events.global_position

  friend bool operator==(const LogPosition& a, const LogPosition& b) {
    return std::tie(a.tx_id, a.global_position) == std::tie(b.tx_id, b.global_position);
  }
  friend bool operator<(const LogPosition& a, const LogPosition& b) {
    return std::tie(a.tx_id, a.global_position) < std::tie(b.tx_id, b.global_position);
  }
  friend bool operator<=(const LogPosition& a, const LogPosition& b) { return !(b < a); }
};

// The opaque consistency token for `position`, e.g. "1.2f3.1a".
std::string EncodeConsistencyToken(const LogPosition& position);

// Parses a token made by EncodeConsistencyToken; INVALID_ARGUMENT naming
// consistency_token when it is malformed.
absl::StatusOr<LogPosition> DecodeConsistencyToken(absl::string_view token);

}  // namespace ordo::store

#endif  // ORDO_STORE_LOG_LOG_POSITION_H_
