// A flag one thread raises to stop a worker thread, which waits on it between its steps
// (instead of sleeping): raised, every wait ends at once. Thread-safe.
#ifndef ORDO_COMMON_STOP_SIGNAL_H_
#define ORDO_COMMON_STOP_SIGNAL_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace ordo {

class StopSignal {
 public:
  void Raise() {
    absl::MutexLock lock(&mu_);
    raised_ = true;
  }

  bool raised() {
    absl::MutexLock lock(&mu_);
    return raised_;
  }

  // Waits up to `timeout`; true when the signal is raised.
  bool WaitFor(absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&raised_), timeout);
    return raised_;
  }

 private:
  absl::Mutex mu_;
  bool raised_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace ordo

#endif  // ORDO_COMMON_STOP_SIGNAL_H_
