// A fixed set of threads running posted tasks in order of arrival: where gRPC callback
// handlers, which must not block, hand their blocking database work. Thread-safe.
#ifndef ORDO_COMMON_WORKER_POOL_H_
#define ORDO_COMMON_WORKER_POOL_H_

#include <deque>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

namespace ordo {

class WorkerPool {
 public:
  explicit WorkerPool(int threads);
  // Runs every task posted before, then joins the threads.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void Post(absl::AnyInvocable<void() &&> task);

 private:
  void Work();

  absl::Mutex mu_;
  std::deque<absl::AnyInvocable<void() &&>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace ordo

#endif  // ORDO_COMMON_WORKER_POOL_H_
