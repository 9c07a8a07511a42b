// The one place where libpqxx exceptions become absl::Status. Every store function runs
// its database work through GuardPq() so no exception crosses a layer boundary.
#ifndef ORDO_STORE_PG_PG_STATUS_H_
#define ORDO_STORE_PG_PG_STATUS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace ordo::store {

// Maps the exception being handled (call only inside a catch block) to a Status:
// connection loss, server shutdown and commit-in-doubt -> UNAVAILABLE; unique violation,
// serialization failure and deadlock -> ABORTED (a concurrent writer won); statement timeout ->
// DEADLINE_EXCEEDED; a RAISE from a trigger -> FAILED_PRECONDITION; anything else ->
// INTERNAL. `context` prefixes the message.
absl::Status StatusFromCurrentException(absl::string_view context);

// Runs `work` (returning Status or StatusOr<T>) and turns any exception into a Status.
template <typename Work>
auto GuardPq(absl::string_view context, Work&& work) -> decltype(work()) {
  try {
    return work();
  } catch (...) {
    return StatusFromCurrentException(context);
  }
}

}  // namespace ordo::store

#endif  // ORDO_STORE_PG_PG_STATUS_H_
