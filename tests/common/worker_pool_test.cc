// Tests of the worker pool that runs the command service's blocking work.
#include "common/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"

namespace ordo {
namespace {

TEST(WorkerPool, RunsEveryPostedTaskBeforeItIsDestroyed) {
  std::atomic<int> done{0};
  {
    WorkerPool pool(3);
    for (int i = 0; i < 1000; ++i) pool.Post([&] { ++done; });
  }
  EXPECT_EQ(done.load(), 1000);
}

TEST(WorkerPool, RunsTasksOnAsManyThreadsAsItHas) {
  absl::Mutex mu;
  std::set<std::thread::id> threads;
  absl::Notification release;
  std::atomic<int> waiting{0};
  {
    WorkerPool pool(4);
    for (int i = 0; i < 4; ++i) {
      pool.Post([&] {
        {
          absl::MutexLock lock(&mu);
          threads.insert(std::this_thread::get_id());
        }
        ++waiting;
        release.WaitForNotificationWithTimeout(absl::Seconds(10));
      });
    }
    // All four block at once only if four threads run them.
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (waiting.load() < 4 && absl::Now() < deadline) std::this_thread::yield();
    EXPECT_EQ(waiting.load(), 4);
    release.Notify();
  }
  EXPECT_EQ(threads.size(), 4u);
}

}  // namespace
}  // namespace ordo
