// A position in the event log in tailing order, and its consistency-token encoding.
#include "store/log/log_position.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace ordo::store {
namespace {

constexpr char kTokenVersion[] = "1";

// Parses 1 to 16 lower-case hex digits.
bool ParseHex(absl::string_view text, uint64_t* value) {
  if (text.empty() || text.size() > 16) return false;
  uint64_t result = 0;
  for (char c : text) {
    int digit;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else {
      return false;
    }
    result = (result << 4) | static_cast<uint64_t>(digit);
  }
  *value = result;
  return true;
}

}  // namespace

std::string EncodeConsistencyToken(const LogPosition& position) {
  return absl::StrCat(kTokenVersion, ".", absl::Hex(position.tx_id), ".",
                      absl::Hex(position.global_position));
}

absl::StatusOr<LogPosition> DecodeConsistencyToken(absl::string_view token) {
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  uint64_t tx_id = 0;
  uint64_t global_position = 0;
  if (parts.size() != 3 || parts[0] != kTokenVersion || !ParseHex(parts[1], &tx_id) ||
      !ParseHex(parts[2], &global_position) || global_position > INT64_MAX) {
    return absl::InvalidArgumentError(
        "consistency_token: malformed; pass the token a command returned, unchanged");
  }
  return LogPosition{tx_id, static_cast<int64_t>(global_position)};
}

}  // namespace ordo::store
