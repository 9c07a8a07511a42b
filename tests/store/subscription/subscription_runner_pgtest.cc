// The subscriber runtime on a real PostgreSQL, through a small recording subscriber of its
// own (no read model): every event delivered once and in stream order while transactions
// commit out of order, the filter applied in the tail with the checkpoint moving past what
// it filters out, a failing event parked by stream and replayed after the fix, one active
// runner with a standby that takes over, the compare-and-set checkpoint, batches spaced by
// min_batch_interval, a rebuild request it cannot carry out, and the state CHECKs.
#include <gtest/gtest.h>

#include <atomic>
#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/transaction>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "store/subscription/checkpoint_store.h"
#include "store/subscription/leader_lease.h"
#include "store/subscription/subscription_runner.h"
#include "support/test_database.h"
#include "support/wait.h"

namespace ordo::store {
namespace {

// Writes every event it is handed into `seen`, in the batch's transaction; fails on one
// chosen event until fixed.
class RecordingSubscriber final : public Subscriber {
 public:
  RecordingSubscriber(std::string name, SubscriberFilter filter = {},
                      SubscriberStart start = SubscriberStart::kFirstEvent)
      : name_(std::move(name)), filter_(std::move(filter)), start_(start) {}

  const std::string& name() const override { return name_; }
  SubscriberFilter filter() const override { return filter_; }
  SubscriberStart start() const override { return start_; }

  HandleResult Handle(const std::vector<RecordedEvent>& events, pqxx::work& tx) override {
    {
      absl::MutexLock lock(&mu_);
      for (size_t i = 0; i < events.size(); ++i) {
        if (events[i].stream_id == poison_stream_ && events[i].version == poison_version_) {
          return HandleResult::FailedAt(i, absl::InternalError("failing on purpose"));
        }
      }
    }
    for (const RecordedEvent& e : events) {
      tx.exec_params(
          "INSERT INTO seen (subscriber, stream_id, version, event_type, position)"
          " VALUES ($1, $2, $3, $4, $5)",
          name_, e.stream_id, e.version, e.event_type, e.position.global_position);
    }
    return HandleResult::Ok();
  }

  void FailOn(const std::string& stream, int version) {
    absl::MutexLock lock(&mu_);
    poison_stream_ = stream;
    poison_version_ = version;
  }

 private:
  const std::string name_;
  const SubscriberFilter filter_;
  const SubscriberStart start_;
  absl::Mutex mu_;
  std::string poison_stream_ ABSL_GUARDED_BY(mu_);
  int poison_version_ ABSL_GUARDED_BY(mu_) = 0;
};

SubscriptionRunnerOptions FastOptions() {
  SubscriptionRunnerOptions options;
  options.batch_size = 50;
  options.poll_interval = absl::Milliseconds(50);
  options.max_attempts = 3;
  options.initial_backoff = absl::Milliseconds(5);
  options.standby_retry = absl::Milliseconds(100);
  return options;
}

class SubscriptionRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.Query(
        "CREATE TABLE seen (arrival bigint GENERATED ALWAYS AS IDENTITY, subscriber text,"
        " stream_id text, version int, event_type text, position bigint,"
        " batch_tx bigint DEFAULT txid_current(), batch_started timestamptz DEFAULT now(),"
        " UNIQUE (subscriber, position))");
  }

  std::string Query(const std::string& sql) { return db_.Query(sql); }

  // Appends `count` events of `type` to `stream` (of `stream_type`) in one transaction.
  void Append(const std::string& stream, const std::string& type, int count = 1,
              const std::string& stream_type = "test") {
    pqxx::connection connection(db_.url());
    pqxx::work tx(connection);
    AppendIn(tx, stream, type, count, stream_type);
    tx.commit();
  }

  static void AppendIn(pqxx::work& tx, const std::string& stream, const std::string& type,
                       int count, const std::string& stream_type = "test") {
    const int version =
        tx.exec_params1("SELECT coalesce(max(version), 0) FROM events WHERE stream_id = $1",
                        stream)[0]
            .as<int>();
    for (int i = 1; i <= count; ++i) {
      tx.exec_params(
          "INSERT INTO events (stream_id, stream_type, version, event_id, event_type,"
          " schema_version, payload, metadata) VALUES ($1, $2, $3, gen_random_uuid(), $4, 1,"
          " '{}', '{}')",
          stream, stream_type, version + i, type);
    }
  }

  // The subscriber's checkpoint is at the log's last event.
  bool CaughtUp(const std::string& name) {
    return Query(absl::StrCat(
               "SELECT coalesce((SELECT (c.tx_id, c.global_position) = (e.tx_id, "
               "e.global_position) FROM projection_checkpoints c, (SELECT tx_id, global_position "
               "FROM events ORDER BY tx_id DESC, global_position DESC LIMIT 1) e WHERE c.name = '",
               name, "'), false)")) == "t";
  }

  testing::TestDatabase db_;
};

// 8 writers on 40 streams, a fifth of their transactions held open 50-300 ms after
// inserting, so later positions commit first: a tail by global_position alone would skip
// the late ones for good. Every event must be seen once, each stream in version order.
TEST_F(SubscriptionRunnerTest, DeliversEveryEventOnceInOrderWhileTransactionsCommitOutOfOrder) {
  RecordingSubscriber subscriber("recorder");
  SubscriptionRunner runner(db_.url(), subscriber, FastOptions());
  runner.Start();
  std::atomic<int> appended{0}, held{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 8; ++w) {
    writers.emplace_back([&, w] {
      std::mt19937 rng(w);
      pqxx::connection connection(db_.url());
      for (int i = 0; i < 60; ++i) {
        try {
          pqxx::work tx(connection);
          AppendIn(tx, absl::StrCat("s-", rng() % 40), "Happened", 1);
          if (rng() % 5 == 0) {
            // Deliberately slow commit: the position is taken, the commit comes late.
            ++held;
            std::this_thread::sleep_for(std::chrono::milliseconds(50 + rng() % 251));
          }
          tx.commit();
          ++appended;
        } catch (const pqxx::unique_violation&) {
          // Another writer took this version first: the next iteration reads again.
        }
      }
    });
  }
  for (auto& writer : writers) writer.join();
  ASSERT_TRUE(testing::WaitUntil([&] { return CaughtUp("recorder"); }, absl::Seconds(60)));
  runner.Stop();
  EXPECT_GT(held.load(), 30);
  EXPECT_EQ(Query("SELECT count(*) FROM seen"), std::to_string(appended.load()));
  EXPECT_EQ(Query("SELECT count(*) FROM events"), std::to_string(appended.load()));
  // In stream order: in the order of arrival no version follows a higher or equal one.
  EXPECT_EQ(Query("SELECT count(*) FROM (SELECT version, lag(version) OVER (PARTITION BY "
                  "stream_id ORDER BY arrival) AS before FROM seen) s WHERE before >= version"),
            "0");
}

TEST_F(SubscriptionRunnerTest, TheFilterRunsInTheTailAndTheCheckpointMovesPastWhatItSkips) {
  RecordingSubscriber subscriber("wanted-only", SubscriberFilter{{"Wanted"}, {"test"}});
  Append("f-1", "Wanted", 3);
  Append("f-2", "Unwanted", 120);  // more than two batches of nothing wanted
  Append("f-3", "Wanted", 1, "other");
  Append("f-4", "Wanted", 2);
  Append("f-5", "Unwanted", 5);
  SubscriptionRunner runner(db_.url(), subscriber, FastOptions());
  runner.Start();
  ASSERT_TRUE(testing::WaitUntil([&] { return CaughtUp("wanted-only"); }, absl::Seconds(30)));
  runner.Stop();
  EXPECT_EQ(Query("SELECT string_agg(stream_id || '@' || version, ',' ORDER BY position) "
                  "FROM seen"),
            "f-1@1,f-1@2,f-1@3,f-4@1,f-4@2");
}

// Without a stream type the tail looks at every event and returns only the wanted types.
TEST_F(SubscriptionRunnerTest, ASubscriberStartingNowSeesOnlyWhatIsAppendedAfterItFirstRan) {
  RecordingSubscriber subscriber("from-now", {}, SubscriberStart::kNow);
  Append("past-1", "Happened", 3);
  // "Now" is the tail's head: once no older transaction anywhere on the server (another
  // test's) holds past-1 back from the tail, past-1 is history.
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        return Query(
                   "SELECT bool_and(tx_id < ordo_visible_tx_floor()) FROM events"
                   " WHERE stream_id = 'past-1'") == "t";
      },
      absl::Seconds(30)));
  {
    SubscriptionRunner runner(db_.url(), subscriber, FastOptions());
    runner.Start();
    ASSERT_TRUE(testing::WaitUntil(
        [&] {
          return Query(
                     "SELECT count(*) FROM projection_checkpoints WHERE name = "
                     "'from-now' AND global_position > 0") == "1";
        },
        absl::Seconds(30)));
    Append("new-1", "Happened", 2);
    ASSERT_TRUE(testing::WaitUntil([&] { return CaughtUp("from-now"); }, absl::Seconds(30)));
  }
  // Restarted, it carries on from its checkpoint: nothing is skipped.
  Append("new-2", "Happened", 1);
  SubscriptionRunner again(db_.url(), subscriber, FastOptions());
  again.Start();
  ASSERT_TRUE(testing::WaitUntil([&] { return CaughtUp("from-now"); }, absl::Seconds(30)));
  again.Stop();
  EXPECT_EQ(Query("SELECT string_agg(stream_id || '@' || version, ',' ORDER BY position) "
                  "FROM seen WHERE subscriber = 'from-now'"),
            "new-1@1,new-1@2,new-2@1");
}

TEST_F(SubscriptionRunnerTest, AnEventTypeFilterAloneWorksTheSame) {
  RecordingSubscriber subscriber("types-only", SubscriberFilter{{"Wanted", "AlsoWanted"}, {}});
  Append("t-1", "Wanted", 2);
  Append("t-2", "Unwanted", 120);
  Append("t-3", "AlsoWanted", 1, "other");
  Append("t-4", "Unwanted", 3);
  SubscriptionRunner runner(db_.url(), subscriber, FastOptions());
  runner.Start();
  ASSERT_TRUE(testing::WaitUntil([&] { return CaughtUp("types-only"); }, absl::Seconds(30)));
  runner.Stop();
  EXPECT_EQ(Query("SELECT string_agg(stream_id || '@' || version, ',' ORDER BY position) "
                  "FROM seen"),
            "t-1@1,t-1@2,t-3@1");
}

TEST_F(SubscriptionRunnerTest, AFailingEventIsParkedWithItsStreamAndReplayedAfterTheFix) {
  RecordingSubscriber subscriber("parker");
  subscriber.FailOn("p-1", 2);
  Append("p-1", "Happened", 4);
  Append("p-2", "Happened", 3);
  SubscriptionRunner runner(db_.url(), subscriber, FastOptions());
  runner.Start();
  ASSERT_TRUE(testing::WaitUntil([&] { return CaughtUp("parker"); }, absl::Seconds(30)));
  EXPECT_EQ(Query("SELECT string_agg(stream_id || '@' || version, ',' ORDER BY position) "
                  "FROM seen"),
            "p-1@1,p-2@1,p-2@2,p-2@3");
  EXPECT_EQ(Query("SELECT string_agg(version || ':' || attempts, ',' ORDER BY version) FROM "
                  "dead_letters WHERE stream_id = 'p-1' AND status = 'parked'"),
            "2:3,3:0,4:0");
  // Later events of a parked stream are parked behind it, not handled.
  Append("p-1", "Happened", 1);
  Append("p-2", "Happened", 1);
  ASSERT_TRUE(testing::WaitUntil([&] { return CaughtUp("parker"); }, absl::Seconds(30)));
  EXPECT_EQ(Query("SELECT count(*) FROM dead_letters WHERE stream_id = 'p-1'"), "4");

  subscriber.FailOn("", 0);
  Query("UPDATE dead_letters SET status = 'replay_requested' WHERE stream_id = 'p-1'");
  ASSERT_TRUE(testing::WaitUntil(
      [&] { return Query("SELECT count(*) FROM dead_letters WHERE status = 'replayed'") == "4"; },
      absl::Seconds(30)));
  runner.Stop();
  EXPECT_EQ(Query("SELECT string_agg(version::text, ',' ORDER BY position) FROM seen "
                  "WHERE stream_id = 'p-1'"),
            "1,2,3,4,5");
}

TEST_F(SubscriptionRunnerTest, OneRunnerIsActiveAndAStandbyTakesOver) {
  RecordingSubscriber a("leader"), b("leader");
  auto first = std::make_unique<SubscriptionRunner>(db_.url(), a, FastOptions());
  first->Start();
  ASSERT_TRUE(testing::WaitUntil([&] { return first->is_active(); }, absl::Seconds(10)));
  SubscriptionRunner second(db_.url(), b, FastOptions());
  second.Start();
  Append("l-1", "Happened", 30);
  ASSERT_TRUE(testing::WaitUntil([&] { return CaughtUp("leader"); }, absl::Seconds(30)));
  EXPECT_FALSE(second.is_active());
  first.reset();  // its session ends, and with it the lease
  ASSERT_TRUE(testing::WaitUntil([&] { return second.is_active(); }, absl::Seconds(10)));
  Append("l-1", "Happened", 30);
  ASSERT_TRUE(testing::WaitUntil([&] { return CaughtUp("leader"); }, absl::Seconds(30)));
  second.Stop();
  EXPECT_EQ(Query("SELECT count(*) || ' ' || count(DISTINCT position) FROM seen"), "60 60");
}

// Appends notify with the stream and event types they wrote: a subscriber of others sleeps
// on.
TEST_F(SubscriptionRunnerTest, TheLeaseWakesOnlyForWhatItsFilterWants) {
  const SubscriberFilter filter{{"StockReserved"}, {"inventory"}};
  absl::StatusOr<std::unique_ptr<LeaderLease>> lease =
      LeaderLease::Acquire(db_.url(), "sleepy", filter);
  ASSERT_TRUE(lease.ok() && *lease != nullptr) << lease.status();
  absl::StatusOr<std::unique_ptr<LeaderLease>> second =
      LeaderLease::Acquire(db_.url(), "sleepy", filter);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, nullptr) << "two holders of one lease";
  auto notify = [&](const std::string& payload) {
    Query("SELECT pg_notify('ordo_events', '" + payload + "')");
  };
  notify("order");
  EXPECT_FALSE((*lease)->AwaitWakeup(absl::Milliseconds(300)));
  notify("order,inventory,=OrderItemAdded,=StockAdded");
  EXPECT_FALSE((*lease)->AwaitWakeup(absl::Milliseconds(300)));
  notify("order,inventory,=OrderItemAdded,=StockReserved");
  EXPECT_TRUE((*lease)->AwaitWakeup(absl::Seconds(5)));
  notify("order,inventory");  // event types not listed
  EXPECT_TRUE((*lease)->AwaitWakeup(absl::Seconds(5)));
  notify("");  // unknown types, e.g. a replay request
  EXPECT_TRUE((*lease)->AwaitWakeup(absl::Seconds(5)));
  EXPECT_TRUE((*lease)->CheckHeld().ok());
}

// With min_batch_interval, the first event after a quiet spell is handled at once; what is
// appended while that batch runs waits until the interval since its start has passed, and
// then comes in one batch.
TEST_F(SubscriptionRunnerTest, UnderSteadyAppendsBatchesStartTheIntervalApart) {
  RecordingSubscriber subscriber("gathering");
  SubscriptionRunnerOptions options = FastOptions();
  options.min_batch_interval = absl::Seconds(1);
  SubscriptionRunner runner(db_.url(), subscriber, options);
  runner.Start();
  auto seen = [&] { return std::stoi(Query("SELECT count(*) FROM seen")); };
  Append("g-1", "First");
  ASSERT_TRUE(testing::WaitUntil([&] { return seen() == 1; }, absl::Seconds(10)));
  Append("g-2", "Second");
  Append("g-3", "Third");
  ASSERT_TRUE(testing::WaitUntil([&] { return seen() == 3; }, absl::Seconds(10)));
  EXPECT_EQ(Query("SELECT count(DISTINCT batch_tx) FROM seen WHERE stream_id <> 'g-1'"), "1");
  // Each batch's transaction starts after the runner takes its start time, so the gap
  // between the two transactions is the interval less that (small) lead.
  const double gap_ms = std::stod(
      Query("SELECT extract(epoch FROM max(batch_started) - min(batch_started)) * 1000 FROM seen"));
  EXPECT_GE(gap_ms, 900) << "the second batch did not wait for the interval";
}

TEST_F(SubscriptionRunnerTest, TheCheckpointMovesOnlyFromWhereItWas) {
  pqxx::connection connection(db_.url());
  pqxx::work tx(connection);
  checkpoint_store::Ensure(tx, "cas");
  absl::StatusOr<Checkpoint> moved =
      checkpoint_store::Advance(tx, "cas", LogPosition{0, 0}, LogPosition{5, 7});
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->position, (LogPosition{5, 7}));
  EXPECT_FALSE(moved->rebuild_requested);
  absl::StatusOr<Checkpoint> stale =
      checkpoint_store::Advance(tx, "cas", LogPosition{0, 0}, LogPosition{6, 8});
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  // What an operator set on the row comes back with the next move.
  ASSERT_TRUE(checkpoint_store::RequestRebuild(tx, "cas"));
  absl::StatusOr<Checkpoint> requested =
      checkpoint_store::Advance(tx, "cas", LogPosition{5, 7}, LogPosition{5, 7});
  ASSERT_TRUE(requested.ok()) << requested.status();
  EXPECT_TRUE(requested->rebuild_requested);
  checkpoint_store::DropRebuildRequest(tx, "cas");
  absl::StatusOr<Checkpoint> read = checkpoint_store::Read(tx, "cas");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->position, (LogPosition{5, 7}));
  EXPECT_EQ(read->state, CheckpointState::kRunning);
  EXPECT_EQ(checkpoint_store::Read(tx, "never").status().code(), absl::StatusCode::kNotFound);
}

// The runner remembers where its last batch left the checkpoint, but the stored row is the
// truth: here another hand (a second runner that slipped past the lease, say) handled m-2
// and moved the row past it. The runner's next batch, read from its memory, is refused by
// the compare-and-set; it reads the row and hands over only m-3.
TEST_F(SubscriptionRunnerTest, ACheckpointMovedByAnotherRunnerIsFollowed) {
  RecordingSubscriber subscriber("follower");
  SubscriptionRunner runner(db_.url(), subscriber, FastOptions());
  runner.Start();
  Append("m-1", "Happened", 3);
  ASSERT_TRUE(testing::WaitUntil([&] { return CaughtUp("follower"); }, absl::Seconds(30)));
  {
    pqxx::connection connection(db_.url());
    pqxx::work tx(connection);
    AppendIn(tx, "m-2", "Happened", 2);
    tx.exec(
        "UPDATE projection_checkpoints SET (tx_id, global_position) = (SELECT tx_id, "
        "global_position FROM events WHERE stream_id = 'm-2' ORDER BY global_position DESC "
        "LIMIT 1) WHERE name = 'follower'");
    tx.commit();
  }
  Append("m-3", "Happened", 1);
  ASSERT_TRUE(testing::WaitUntil([&] { return CaughtUp("follower"); }, absl::Seconds(30)));
  runner.Stop();
  EXPECT_EQ(Query("SELECT string_agg(stream_id, ',' ORDER BY arrival) FROM seen"),
            "m-1,m-1,m-1,m-3");
}

// A rebuild request (DESIGN §14) reaches every runner, but only a subscriber that can undo
// its effects carries it out: this one (a process manager, say) keeps its checkpoint and is
// handed nothing twice; the request is dropped.
TEST_F(SubscriptionRunnerTest, ARebuildRequestToASubscriberThatCannotBeRebuiltIsDropped) {
  RecordingSubscriber subscriber("kept");
  SubscriptionRunner runner(db_.url(), subscriber, FastOptions());
  runner.Start();
  Append("k-1", "Happened", 3);
  ASSERT_TRUE(testing::WaitUntil([&] { return CaughtUp("kept"); }, absl::Seconds(20)));
  const std::string position =
      Query("SELECT global_position FROM projection_checkpoints WHERE name = 'kept'");
  {
    pqxx::connection connection(db_.url());
    pqxx::work tx(connection);
    ASSERT_TRUE(checkpoint_store::RequestRebuild(tx, "kept"));
    EXPECT_FALSE(checkpoint_store::RequestRebuild(tx, "never-ran"));
    tx.commit();
  }
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        return Query(
                   "SELECT rebuild_requested_at IS NULL FROM projection_checkpoints"
                   " WHERE name = 'kept'") == "t";
      },
      absl::Seconds(20)));
  Append("k-1", "Happened", 1);
  ASSERT_TRUE(testing::WaitUntil([&] { return CaughtUp("kept"); }, absl::Seconds(20)));
  runner.Stop();
  EXPECT_EQ(Query("SELECT state FROM projection_checkpoints WHERE name = 'kept'"), "running");
  EXPECT_GT(std::stoll(Query("SELECT global_position FROM projection_checkpoints"
                             " WHERE name = 'kept'")),
            std::stoll(position));
  EXPECT_EQ(Query("SELECT count(*) FROM seen"), "4");
}

TEST_F(SubscriptionRunnerTest, StatesOutsideTheEnumsAreRefusedByTheDatabase) {
  Query("INSERT INTO projection_checkpoints (name) VALUES ('checked')");
  EXPECT_THROW(Query("UPDATE projection_checkpoints SET state = 'sleeping'"),
               pqxx::check_violation);
  EXPECT_THROW(Query("INSERT INTO dead_letters (projection, global_position, stream_id, version,"
                     " event_type, error, attempts, status) VALUES ('x', 1, 's', 1, 't', 'e', 1,"
                     " 'lost')"),
               pqxx::check_violation);
}

}  // namespace
}  // namespace ordo::store
