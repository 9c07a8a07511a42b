// The payload of a NOTIFY on the ordo_events channel: which stream types, and which event
// types, were appended. "order,inventory,=OrderItemAdded,=StockReserved": the stream types
// comma-separated, then each event type after "=". An empty payload, or one without event
// types, tells less and wakes more: a subscriber wakes unless the payload shows that
// nothing it wants was appended. A reader that knows only stream types ignores the "="
// tokens.
#ifndef ORDO_STORE_LOG_WAKEUP_PAYLOAD_H_
#define ORDO_STORE_LOG_WAKEUP_PAYLOAD_H_

#include <set>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace ordo::store {

// The payload for these stream types and, unless `event_types` is empty (not known), these
// event types; the event types are left out when the whole would not fit in a NOTIFY.
std::string WakeupPayload(const std::set<std::string>& stream_types,
                          const std::set<std::string>& event_types);

// Whether a subscriber of `stream_types` and `event_types` (each empty: any) may have
// something to handle after a NOTIFY with `payload`.
bool WakeupConcerns(absl::string_view payload, const std::vector<std::string>& stream_types,
                    const std::vector<std::string>& event_types);

}  // namespace ordo::store

#endif  // ORDO_STORE_LOG_WAKEUP_PAYLOAD_H_
