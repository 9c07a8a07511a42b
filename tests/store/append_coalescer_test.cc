// Group commit without a database: which appends share a batch, in what order, and what
// each caller gets back. The batch runner stands in for the SQL and can be held, so that
// callers pile up behind a running batch as they do behind a commit.
#include "store/log/append_coalescer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"

namespace ordo::store {
namespace {

absl::Time Soon() { return absl::Now() + absl::Seconds(10); }

// `max_batches` lanes, a batch counting as stalled after `stalled_after`.
AppendCoalescerOptions Lanes(int max_batches, absl::Duration stalled_after, size_t max_batch = 64) {
  AppendCoalescerOptions options;
  options.max_batch = max_batch;
  options.max_batches = max_batches;
  options.stalled_after = stalled_after;
  return options;
}

// One batch at a time, so what piles up behind it is exact.
AppendCoalescerOptions OneLane(size_t max_batch) { return Lanes(1, absl::Seconds(30), max_batch); }

// Runs batches by answering each append with its stream and a running count; the first
// batch waits for Release().
class FakeBatches {
 public:
  AppendCoalescer::RunBatch Runner() {
    return [this](const std::vector<const AppendRequest*>& batch, absl::Time) {
      if (first_.exchange(false)) {
        running_.Notify();
        release_.WaitForNotification();
      }
      absl::MutexLock lock(&mu_);
      std::vector<std::string> streams;
      std::vector<absl::StatusOr<AppendResult>> results;
      for (const AppendRequest* request : batch) {
        streams.push_back(request->stream_id);
        results.push_back(AppendResult{request->stream_id, ++appended_, LogPosition{}});
      }
      batches_.push_back(streams);
      return results;
    };
  }
  // True once the first batch runs (and holds), within 10 s.
  bool WaitFirstRunning() { return running_.WaitForNotificationWithTimeout(absl::Seconds(10)); }
  void Release() { release_.Notify(); }
  std::vector<std::vector<std::string>> batches() {
    absl::MutexLock lock(&mu_);
    return batches_;
  }

 private:
  std::atomic<bool> first_{true};
  absl::Notification running_;
  absl::Notification release_;
  absl::Mutex mu_;
  int32_t appended_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<std::vector<std::string>> batches_ ABSL_GUARDED_BY(mu_);
};

AppendRequest To(const std::string& stream) {
  AppendRequest request;
  request.stream_id = stream;
  request.events.push_back(NewEvent{"Happened", 1, "{}"});
  return request;
}

// Callers appending on their own threads; results kept in call order.
class Callers {
 public:
  explicit Callers(AppendCoalescer& coalescer) : coalescer_(coalescer) {}
  ~Callers() { Join(); }
  void Start(const std::string& stream, absl::Time deadline = Soon()) {
    requests_.push_back(std::make_unique<AppendRequest>(To(stream)));
    results_.push_back(std::make_unique<absl::StatusOr<AppendResult>>(absl::UnknownError("")));
    threads_.emplace_back([this, request = requests_.back().get(), result = results_.back().get(),
                           deadline] { *result = coalescer_.Append(*request, deadline); });
  }
  // Waits (bounded) until `n` callers wait for a batch.
  bool WaitQueued(size_t n) {
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (coalescer_.queued() != n) {
      if (absl::Now() > deadline) return false;
      absl::SleepFor(absl::Milliseconds(1));
    }
    return true;
  }
  void Join() {
    for (std::thread& t : threads_) t.join();
    threads_.clear();
  }
  const absl::StatusOr<AppendResult>& result(size_t i) { return *results_[i]; }

 private:
  AppendCoalescer& coalescer_;
  std::vector<std::unique_ptr<AppendRequest>> requests_;
  std::vector<std::unique_ptr<absl::StatusOr<AppendResult>>> results_;
  std::vector<std::thread> threads_;
};

TEST(AppendCoalescerTest, AloneAnAppendIsItsOwnBatch) {
  FakeBatches fake;
  fake.Release();
  AppendCoalescer coalescer(fake.Runner(), OneLane(64));
  absl::StatusOr<AppendResult> result = coalescer.Append(To("a"), Soon());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->stream_id, "a");
  EXPECT_EQ(fake.batches(), (std::vector<std::vector<std::string>>{{"a"}}));
}

TEST(AppendCoalescerTest, AppendsWaitingBehindABatchGoTogetherInArrivalOrder) {
  FakeBatches fake;
  AppendCoalescer coalescer(fake.Runner(), OneLane(64));
  Callers callers(coalescer);
  callers.Start("lead");
  ASSERT_TRUE(fake.WaitFirstRunning());
  for (int i = 0; i < 8; ++i) {
    callers.Start("s" + std::to_string(i));
    ASSERT_TRUE(callers.WaitQueued(i + 1));
  }
  fake.Release();
  callers.Join();

  EXPECT_EQ(fake.batches(), (std::vector<std::vector<std::string>>{
                                {"lead"}, {"s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7"}}));
  for (size_t i = 0; i < 9; ++i) {
    ASSERT_TRUE(callers.result(i).ok()) << callers.result(i).status();
    EXPECT_EQ(callers.result(i)->stream_id, i == 0 ? "lead" : "s" + std::to_string(i - 1));
  }
}

TEST(AppendCoalescerTest, AStreamAppearsOnceInABatchAndBatchesAreBounded) {
  FakeBatches fake;
  AppendCoalescer coalescer(fake.Runner(), OneLane(3));
  Callers callers(coalescer);
  callers.Start("lead");
  ASSERT_TRUE(fake.WaitFirstRunning());
  const std::vector<std::string> arrivals = {"x", "x", "y", "z", "w", "x"};
  for (size_t i = 0; i < arrivals.size(); ++i) {
    callers.Start(arrivals[i]);
    ASSERT_TRUE(callers.WaitQueued(i + 1));
  }
  fake.Release();
  callers.Join();

  // First come first, a second "x" waits for the next batch, at most 3 per batch.
  EXPECT_EQ(fake.batches(),
            (std::vector<std::vector<std::string>>{{"lead"}, {"x", "y", "z"}, {"x", "w"}, {"x"}}));
  for (size_t i = 0; i <= arrivals.size(); ++i) EXPECT_TRUE(callers.result(i).ok());
}

TEST(AppendCoalescerTest, AnAppendWhoseDeadlinePassesInTheQueueIsNotRun) {
  FakeBatches fake;
  AppendCoalescer coalescer(fake.Runner(), OneLane(64));
  Callers callers(coalescer);
  callers.Start("lead");
  ASSERT_TRUE(fake.WaitFirstRunning());
  AppendRequest late = To("late");
  // Answered while the batch ahead of it is still running.
  absl::StatusOr<AppendResult> result =
      coalescer.Append(late, absl::Now() + absl::Milliseconds(50));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kDeadlineExceeded) << result.status();
  EXPECT_EQ(coalescer.queued(), 0u);
  fake.Release();
  callers.Join();
  EXPECT_EQ(fake.batches(), (std::vector<std::vector<std::string>>{{"lead"}}));
}

TEST(AppendCoalescerTest, ABatchsOutcomeReachesEachOfItsCallers) {
  std::atomic<bool> first{true};
  absl::Notification running, release;
  AppendCoalescer coalescer(
      [&](const std::vector<const AppendRequest*>& batch, absl::Time) {
        if (first.exchange(false)) {
          running.Notify();
          release.WaitForNotification();
        }
        std::vector<absl::StatusOr<AppendResult>> results;
        for (const AppendRequest* request : batch) {
          if (request->stream_id == "stale") {
            results.push_back(absl::AbortedError("stale is not at version 0"));
          } else {
            results.push_back(AppendResult{request->stream_id, 1, LogPosition{}});
          }
        }
        return results;
      },
      OneLane(64));
  Callers callers(coalescer);
  callers.Start("lead");
  ASSERT_TRUE(running.WaitForNotificationWithTimeout(absl::Seconds(10)));
  callers.Start("fine");
  ASSERT_TRUE(callers.WaitQueued(1));
  callers.Start("stale");
  ASSERT_TRUE(callers.WaitQueued(2));
  release.Notify();
  callers.Join();
  EXPECT_TRUE(callers.result(0).ok());
  ASSERT_TRUE(callers.result(1).ok());
  EXPECT_EQ(callers.result(1)->stream_id, "fine");
  EXPECT_EQ(callers.result(2).status().code(), absl::StatusCode::kAborted);
}

TEST(AppendCoalescerTest, ASecondLaneRunsBesideABusyBatch) {
  FakeBatches fake;
  AppendCoalescer coalescer(fake.Runner(), Lanes(2, absl::Seconds(30)));
  Callers callers(coalescer);
  callers.Start("held");
  ASSERT_TRUE(fake.WaitFirstRunning());
  absl::StatusOr<AppendResult> beside = coalescer.Append(To("beside"), Soon());
  ASSERT_TRUE(beside.ok()) << beside.status();
  fake.Release();
  callers.Join();
  EXPECT_EQ(fake.batches(), (std::vector<std::vector<std::string>>{{"beside"}, {"held"}}));
}

TEST(AppendCoalescerTest, AStalledBatchStopsHoldingUpTheQueue) {
  FakeBatches fake;
  AppendCoalescer coalescer(fake.Runner(), Lanes(1, absl::Milliseconds(30)));
  Callers callers(coalescer);
  callers.Start("stuck");
  ASSERT_TRUE(fake.WaitFirstRunning());
  // The only lane is taken, but its batch counts as stalled after 30 ms.
  absl::StatusOr<AppendResult> later = coalescer.Append(To("later"), Soon());
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_EQ(later->stream_id, "later");
  fake.Release();
  callers.Join();
  EXPECT_TRUE(callers.result(0).ok());
}

TEST(AppendCoalescerTest, AStreamInARunningBatchWaitsForIt) {
  FakeBatches fake;
  AppendCoalescer coalescer(fake.Runner(), Lanes(2, absl::Seconds(30)));
  Callers callers(coalescer);
  callers.Start("same");
  ASSERT_TRUE(fake.WaitFirstRunning());
  callers.Start("same");
  ASSERT_TRUE(callers.WaitQueued(1));
  // A lane is free, yet the second append to the stream stays queued behind the first.
  absl::StatusOr<AppendResult> other = coalescer.Append(To("other"), Soon());
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ(coalescer.queued(), 1u);
  fake.Release();
  callers.Join();
  EXPECT_EQ(fake.batches(), (std::vector<std::vector<std::string>>{{"other"}, {"same"}, {"same"}}));
}

// What Submit's callback was given, and on which thread.
struct Answer {
  absl::Notification given;
  absl::StatusOr<AppendResult> result = absl::UnknownError("not answered");
  std::thread::id thread;
  AppendCoalescer::Done Callback() {
    return [this](absl::StatusOr<AppendResult> outcome) {
      result = std::move(outcome);
      thread = std::this_thread::get_id();
      given.Notify();
    };
  }
};

TEST(AppendCoalescerTest, SubmitReturnsAtOnceAndTheBatchsThreadAnswers) {
  FakeBatches fake;
  AppendCoalescer coalescer(fake.Runner(), OneLane(64));
  Callers callers(coalescer);
  callers.Start("lead");
  ASSERT_TRUE(fake.WaitFirstRunning());
  Answer answer;
  coalescer.Submit(To("async"), Soon(), answer.Callback());
  // Returned while the only lane is held: queued, not answered.
  EXPECT_EQ(coalescer.queued(), 1u);
  EXPECT_FALSE(answer.given.HasBeenNotified());
  fake.Release();
  ASSERT_TRUE(answer.given.WaitForNotificationWithTimeout(absl::Seconds(10)));
  ASSERT_TRUE(answer.result.ok()) << answer.result.status();
  EXPECT_EQ(answer.result->stream_id, "async");
  EXPECT_NE(answer.thread, std::this_thread::get_id());
  callers.Join();
  EXPECT_EQ(fake.batches(), (std::vector<std::vector<std::string>>{{"lead"}, {"async"}}));
}

TEST(AppendCoalescerTest, ASubmittedAppendWhoseDeadlinePassesIsAnsweredAndNotRun) {
  FakeBatches fake;
  AppendCoalescer coalescer(fake.Runner(), OneLane(64));
  Callers callers(coalescer);
  callers.Start("lead");
  ASSERT_TRUE(fake.WaitFirstRunning());
  Answer answer;
  coalescer.Submit(To("late"), absl::Now() + absl::Milliseconds(30), answer.Callback());
  // Answered while the batch ahead of it is still running (no lane is free).
  ASSERT_TRUE(answer.given.WaitForNotificationWithTimeout(absl::Seconds(10)));
  EXPECT_EQ(answer.result.status().code(), absl::StatusCode::kDeadlineExceeded)
      << answer.result.status();
  EXPECT_EQ(coalescer.queued(), 0u);
  fake.Release();
  callers.Join();
  EXPECT_EQ(fake.batches(), (std::vector<std::vector<std::string>>{{"lead"}}));
}

TEST(AppendCoalescerTest, EverySubmittedAppendIsRunBeforeTheCoalescerGoes) {
  FakeBatches fake;
  std::vector<std::unique_ptr<Answer>> answers;
  {
    AppendCoalescer coalescer(fake.Runner(), OneLane(2));
    Callers callers(coalescer);
    callers.Start("lead");
    ASSERT_TRUE(fake.WaitFirstRunning());
    for (int i = 0; i < 5; ++i) {
      answers.push_back(std::make_unique<Answer>());
      coalescer.Submit(To("s" + std::to_string(i)), Soon(), answers.back()->Callback());
    }
    fake.Release();
    callers.Join();
  }
  for (const auto& answer : answers) {
    ASSERT_TRUE(answer->given.HasBeenNotified());
    EXPECT_TRUE(answer->result.ok()) << answer->result.status();
  }
  EXPECT_EQ(fake.batches(),
            (std::vector<std::vector<std::string>>{{"lead"}, {"s0", "s1"}, {"s2", "s3"}, {"s4"}}));
}

}  // namespace
}  // namespace ordo::store
