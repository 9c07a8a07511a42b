// Encoding and reading the ordo_events NOTIFY payload.
#include "store/log/wakeup_payload.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace ordo::store {
namespace {

// PostgreSQL refuses payloads of 8000 bytes or more.
constexpr size_t kMaxPayload = 7900;

bool Contains(const std::vector<std::string>& wanted, absl::string_view token) {
  return std::find(wanted.begin(), wanted.end(), token) != wanted.end();
}

}  // namespace

std::string WakeupPayload(const std::set<std::string>& stream_types,
                          const std::set<std::string>& event_types) {
  std::string payload = absl::StrJoin(stream_types, ",");
  if (payload.empty()) return payload;  // unknown stream types: every subscriber wakes
  std::string with_events = payload;
  for (const std::string& event_type : event_types) absl::StrAppend(&with_events, ",=", event_type);
  return with_events.size() < kMaxPayload ? with_events : payload;
}

bool WakeupConcerns(absl::string_view payload, const std::vector<std::string>& stream_types,
                    const std::vector<std::string>& event_types) {
  if (payload.empty()) return true;
  bool stream_named = false, event_named = false, events_listed = false;
  for (absl::string_view token : absl::StrSplit(payload, ',')) {
    if (absl::ConsumePrefix(&token, "=")) {
      events_listed = true;
      event_named = event_named || Contains(event_types, token);
    } else {
      stream_named = stream_named || Contains(stream_types, token);
    }
  }
  return (stream_types.empty() || stream_named) &&
         (event_types.empty() || !events_listed || event_named);
}

}  // namespace ordo::store
