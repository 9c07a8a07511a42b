// Waiting on a condition with a deadline, for tests: never a bare sleep.
#ifndef ORDO_TESTS_SUPPORT_WAIT_H_
#define ORDO_TESTS_SUPPORT_WAIT_H_

#include <functional>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace ordo::testing {

// Polls `condition` every few milliseconds until it holds (true) or `timeout` passes (false).
inline bool WaitUntil(const std::function<bool()>& condition, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!condition()) {
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return true;
}

}  // namespace ordo::testing

#endif  // ORDO_TESTS_SUPPORT_WAIT_H_
