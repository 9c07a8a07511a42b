// Tests of the timers of a subscriber (timer_store.h, timer_poller.h) on a real
// PostgreSQL: a timer due now fires on Wake() without waiting for the poll, one due later
// not before its time, a cancelled one never; a failed firing is retried with its error
// kept; a claim of a session that died lapses at once.
#include <gtest/gtest.h>

#include <atomic>
#include <pqxx/connection>
#include <pqxx/transaction>

#include "store/subscription/timer_poller.h"
#include "store/subscription/timer_store.h"
#include "support/test_database.h"
#include "support/wait.h"

namespace ordo::store {
namespace {

class TimerPollerTest : public ::testing::Test {
 protected:
  void Set(const std::string& instance, const std::string& kind, absl::Duration delay,
           const std::string& owner = "saga") {
    pqxx::connection connection(db_.url());
    pqxx::work tx(connection);
    timer_store::Set(tx, {owner, instance, kind}, delay, "corr-1", "cause-1");
    tx.commit();
  }
  std::string Query(const std::string& sql) { return db_.Query(sql); }

  // Polls so rarely that only Wake() explains a prompt firing.
  static TimerPollerOptions SlowPoll() {
    TimerPollerOptions options;
    options.poll_interval = absl::Seconds(60);
    return options;
  }

  testing::TestDatabase db_;
};

TEST_F(TimerPollerTest, ATimerDueNowFiresOnWakeWithoutWaitingForThePoll) {
  std::atomic<int> fired{0};
  std::string seen_causation;
  TimerPoller poller(
      db_.url(), "saga",
      [&](const Timer& timer) {
        seen_causation = timer.causation_id;
        ++fired;
        return absl::OkStatus();
      },
      SlowPoll());
  poller.Start();
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        return Query(
                   "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                   " AND pid <> pg_backend_pid() AND state = 'idle' AND query = 'COMMIT'") != "0";
      },
      absl::Seconds(10)));  // the poller's first look (at nothing) committed: it now sleeps
  Set("fulfilment:o1", "authorize_payment", absl::ZeroDuration());
  poller.Wake();
  ASSERT_TRUE(testing::WaitUntil([&] { return fired == 1; }, absl::Seconds(10)));
  EXPECT_EQ(seen_causation, "cause-1");
  ASSERT_TRUE(testing::WaitUntil([&] { return Query("SELECT count(*) FROM saga_timers") == "0"; },
                                 absl::Seconds(10)));
}

TEST_F(TimerPollerTest, OnlyDueTimersOfItsOwnerFireAndACancelledOneNever) {
  std::atomic<int> fired{0};
  Set("fulfilment:later", "payment_deadline", absl::Hours(1));
  Set("fulfilment:other", "authorize_payment", absl::ZeroDuration(), "someone-else");
  Set("fulfilment:cancelled", "authorize_payment", absl::ZeroDuration());
  {
    pqxx::connection connection(db_.url());
    pqxx::work tx(connection);
    timer_store::Cancel(tx, {"saga", "fulfilment:cancelled", "authorize_payment"});
    tx.commit();
  }
  Set("fulfilment:now", "authorize_payment", absl::ZeroDuration());
  TimerPoller poller(
      db_.url(), "saga",
      [&](const Timer& timer) {
        EXPECT_EQ(timer.key.instance, "fulfilment:now");
        ++fired;
        return absl::OkStatus();
      },
      SlowPoll());
  poller.Start();
  ASSERT_TRUE(testing::WaitUntil([&] { return fired == 1; }, absl::Seconds(10)));
  poller.Stop();
  EXPECT_EQ(fired, 1);
  EXPECT_EQ(Query("SELECT string_agg(instance, ',' ORDER BY instance) FROM saga_timers"),
            "fulfilment:later,fulfilment:other");
}

TEST_F(TimerPollerTest, AFailedFiringIsRetriedWithItsErrorKept) {
  std::atomic<int> attempts{0};
  Set("fulfilment:o1", "capture_payment", absl::ZeroDuration());
  TimerPollerOptions options;
  options.poll_interval = absl::Milliseconds(20);
  TimerPoller poller(
      db_.url(), "saga",
      [&](const Timer& timer) {
        EXPECT_EQ(timer.attempts, attempts + 1);
        return ++attempts == 1 ? absl::UnavailableError("gateway away") : absl::OkStatus();
      },
      options);
  poller.Start();
  ASSERT_TRUE(testing::WaitUntil(
      [&] { return Query("SELECT last_error FROM saga_timers") == "gateway away"; },
      absl::Seconds(10)));
  ASSERT_TRUE(testing::WaitUntil([&] { return Query("SELECT count(*) FROM saga_timers") == "0"; },
                                 absl::Seconds(10)));
  EXPECT_EQ(attempts, 2);
}

TEST_F(TimerPollerTest, AClaimOfASessionThatEndedLapsesAtOnce) {
  Set("fulfilment:o1", "dispatch_shipment", absl::ZeroDuration());
  {
    pqxx::connection claimer(db_.url());
    ASSERT_EQ(timer_store::ClaimDue(claimer, "saga", 10, absl::Hours(1)).size(), 1u);
  }  // the claiming session ends without finishing the timer
  std::atomic<int> fired{0};
  TimerPoller poller(
      db_.url(), "saga",
      [&](const Timer& timer) {
        EXPECT_EQ(timer.attempts, 2);
        ++fired;
        return absl::OkStatus();
      },
      SlowPoll());
  poller.Start();
  EXPECT_TRUE(testing::WaitUntil([&] { return fired == 1; }, absl::Seconds(10)));
}

}  // namespace
}  // namespace ordo::store
