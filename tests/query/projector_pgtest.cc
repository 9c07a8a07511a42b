// The projector runtime against a real PostgreSQL, with the order_summary projection:
// no event skipped or reordered while transactions commit out of order, poison events
// parked by stream and replayed, and rebuilds.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/transaction>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "query/projectors/order_summary_projection.h"
#include "store/pg/connection_pool.h"
#include "store/projection/projection_admin.h"
#include "store/subscription/subscription_runner.h"
#include "support/order_events.h"
#include "support/tcp_proxy.h"
#include "support/test_database.h"
#include "support/wait.h"

namespace ordo::query {
namespace {

using store::RecordedEvent;

// Wraps order_summary: asserts every stream's versions arrive strictly in order with none
// missing, and can be made to fail on one event (a poison event) until fixed.
class CheckedProjection final : public store::Projection {
 public:
  const std::string& name() const override { return inner_.name(); }
  std::vector<std::string> tables() const override { return inner_.tables(); }

  store::SubscriberFilter filter() const override { return inner_.filter(); }

  store::HandleResult Handle(const std::vector<RecordedEvent>& events, pqxx::work& tx) override {
    absl::MutexLock lock(&mu_);
    for (size_t i = 0; i < events.size(); ++i) {
      if (events[i].stream_id == poison_stream_ && events[i].version == poison_version_) {
        ++poison_attempts_;
        return store::HandleResult::FailedAt(i, absl::InternalError("handler failed on purpose"));
      }
    }
    store::HandleResult applied = inner_.Handle(events, tx);
    if (!applied.ok()) return applied;
    if (check_order_) {
      for (const RecordedEvent& e : events) {
        int& last = last_version_[e.stream_id];
        if (e.version != last + 1) {
          violations_.push_back(
              absl::StrCat(e.stream_id, ": got version ", e.version, " after ", last));
        }
        last = e.version;
      }
    }
    return applied;
  }

  void FailOn(const std::string& stream, int version) {
    absl::MutexLock lock(&mu_);
    poison_stream_ = stream;
    poison_version_ = version;
  }
  void Fix() { FailOn("", 0); }
  void CheckOrder() {
    absl::MutexLock lock(&mu_);
    check_order_ = true;
  }
  std::vector<std::string> violations() {
    absl::MutexLock lock(&mu_);
    return violations_;
  }
  int poison_attempts() {
    absl::MutexLock lock(&mu_);
    return poison_attempts_;
  }

 private:
  OrderSummaryProjection inner_;
  absl::Mutex mu_;
  bool check_order_ = false;
  std::map<std::string, int> last_version_;
  std::vector<std::string> violations_;
  std::string poison_stream_;
  int poison_version_ = 0;
  int poison_attempts_ = 0;
};

store::SubscriptionRunnerOptions FastOptions() {
  store::SubscriptionRunnerOptions options;
  options.batch_size = 100;
  options.poll_interval = absl::Milliseconds(50);
  options.max_attempts = 3;
  options.initial_backoff = absl::Milliseconds(5);
  options.standby_retry = absl::Milliseconds(100);
  return options;
}

class ProjectorTest : public ::testing::Test {
 protected:
  std::string Query(const std::string& sql) { return db_.Query(sql); }

  void Append(const std::string& order, int version, const std::string& type,
              const std::string& payload) {
    pqxx::connection connection(db_.url());
    pqxx::work tx(connection);
    testing::InsertOrderEvent(tx, order, version, type, payload);
    tx.commit();
  }

  // Creates `order` with `adds` single-unit lines (versions 1..adds+1).
  void AppendOrder(const std::string& order, int adds) {
    pqxx::connection connection(db_.url());
    pqxx::work tx(connection);
    testing::InsertOrderEvent(tx, order, 1, "OrderCreated", testing::CreatedPayload(order, "c"));
    for (int i = 0; i < adds; ++i) {
      testing::InsertOrderEvent(tx, order, i + 2, "OrderItemAdded",
                                testing::ItemAddedPayload(order, absl::StrCat("sku-", i), 1, 100));
    }
    tx.commit();
  }

  bool WaitCaughtUp(absl::Duration timeout = absl::Seconds(60)) {
    return testing::WaitUntil(
        [&] { return testing::ProjectionCaughtUp(db_.url(), kOrderSummaryProjection); }, timeout);
  }

  // A reset projection is back to 'running' and current.
  bool WaitRebuilt() {
    return testing::WaitUntil(
        [&] {
          // Taken up by the runner (the request cleared), rebuilt and current.
          return Query(
                     "SELECT state FROM projection_checkpoints"
                     " WHERE rebuild_requested_at IS NULL") == "running" &&
                 testing::ProjectionCaughtUp(db_.url(), kOrderSummaryProjection);
        },
        absl::Seconds(60));
  }

  std::string TablesChecksum() {
    return Query(
        "SELECT md5((SELECT coalesce(string_agg(s::text, '|' ORDER BY order_id), '') "
        "FROM order_summary s) || '#' || (SELECT coalesce(string_agg(l::text, '|' "
        "ORDER BY order_id, sku), '') FROM order_lines l))");
  }

  testing::TestDatabase db_;
  CheckedProjection projection_;
};

// 8 writers append to 200 orders; a fifth of their transactions stay open 50-300 ms after
// inserting, so later positions commit first. Tailing by global_position alone would skip
// the late ones for good (and this test fails then); Ordo's (tx_id, position) tail below
// the oldest running transaction must not.
TEST_F(ProjectorTest, NoSkipNoReorderWhileTransactionsCommitOutOfOrder) {
  projection_.CheckOrder();
  store::SubscriptionRunner runner(db_.url(), projection_, FastOptions());
  runner.Start();
  for (int i = 0; i < 200; ++i) {
    Append(absl::StrCat("ns-", i), 1, "OrderCreated",
           testing::CreatedPayload(absl::StrCat("ns-", i), "c"));
  }

  const absl::Time stop_writing = absl::Now() + absl::Seconds(5);
  std::atomic<int> appended{0};
  std::atomic<int> held{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 8; ++w) {
    writers.emplace_back([&, w] {
      std::mt19937 rng(w);
      pqxx::connection connection(db_.url());
      while (absl::Now() < stop_writing) {
        const std::string order = absl::StrCat("ns-", rng() % 200);
        try {
          pqxx::work tx(connection);
          // Read the stream before the first write (DESIGN §3), then append.
          const int version =
              tx.exec_params1("SELECT coalesce(max(version), 0) FROM events WHERE stream_id = $1",
                              order)[0]
                  .as<int>();
          const int sku = static_cast<int>(rng() % 5);
          if (rng() % 10 < 7) {
            testing::InsertOrderEvent(
                tx, order, version + 1, "OrderItemAdded",
                testing::ItemAddedPayload(order, absl::StrCat("sku-", sku),
                                          1 + static_cast<int>(rng() % 3), 100 * (sku + 1)));
          } else {
            testing::InsertOrderEvent(
                tx, order, version + 1, "OrderItemRemoved",
                testing::ItemRemovedPayload(order, absl::StrCat("sku-", sku)));
          }
          if (rng() % 5 == 0) {
            // Deliberately slow commit: the position is taken, the commit comes late.
            ++held;
            std::this_thread::sleep_for(std::chrono::milliseconds(50 + rng() % 251));
          }
          tx.commit();
          ++appended;
        } catch (const pqxx::unique_violation&) {
          // Another writer appended this version first: read again and retry.
        }
      }
    });
  }
  for (auto& writer : writers) writer.join();
  ASSERT_TRUE(WaitCaughtUp()) << "projection did not catch up";
  runner.Stop();

  EXPECT_GT(appended.load(), 500);
  EXPECT_GT(held.load(), 50);
  EXPECT_EQ(Query("SELECT count(*) FROM events"), std::to_string(200 + appended.load()));
  EXPECT_EQ(testing::CountReadModelMismatches(db_.url()), 0);
  EXPECT_EQ(Query("SELECT count(*) FROM order_summary"), "200");
  std::vector<std::string> violations = projection_.violations();
  EXPECT_TRUE(violations.empty()) << violations.size()
                                  << " out of order, first: " << violations.front();
  // The apply hook saw every stream up to its last version.
  EXPECT_EQ(Query("SELECT count(*) FROM order_summary s WHERE s.version <> "
                  "(SELECT max(version) FROM events e WHERE e.stream_id = s.order_id)"),
            "0");
}

TEST_F(ProjectorTest, PoisonEventIsParkedByStreamAndReplayedAfterTheFix) {
  projection_.FailOn("poison-1", 2);
  store::SubscriptionRunner runner(db_.url(), projection_, FastOptions());
  runner.Start();
  AppendOrder("poison-1", 3);  // versions 1..4; version 2 fails
  AppendOrder("healthy-1", 2);
  ASSERT_TRUE(WaitCaughtUp(absl::Seconds(30)));
  AppendOrder("healthy-2", 1);  // other streams go on after the parking
  ASSERT_TRUE(WaitCaughtUp(absl::Seconds(30)));

  EXPECT_EQ(projection_.poison_attempts(), 3);
  EXPECT_EQ(Query("SELECT string_agg(version || ':' || status || ':' || attempts, ',' "
                  "ORDER BY version) FROM dead_letters WHERE stream_id = 'poison-1'"),
            "2:parked:3,3:parked:0,4:parked:0");
  EXPECT_NE(Query("SELECT error FROM dead_letters WHERE version = 2").find("on purpose"),
            std::string::npos);
  EXPECT_EQ(Query("SELECT version FROM order_summary WHERE order_id = 'poison-1'"), "1");
  EXPECT_EQ(Query("SELECT version FROM order_summary WHERE order_id = 'healthy-1'"), "3");
  EXPECT_EQ(Query("SELECT version FROM order_summary WHERE order_id = 'healthy-2'"), "2");

  // Later events of the parked stream are parked behind it too.
  Append("poison-1", 5, "OrderItemAdded", testing::ItemAddedPayload("poison-1", "late", 1, 7));
  ASSERT_TRUE(WaitCaughtUp(absl::Seconds(30)));
  EXPECT_EQ(Query("SELECT count(*) FROM dead_letters WHERE stream_id = 'poison-1' AND "
                  "status = 'parked'"),
            "4");

  projection_.Fix();
  pqxx::connection connection(db_.url());
  store::ConnectionPool pool({db_.url(), 1});
  store::ProjectionAdmin admin(pool);
  const int64_t id = std::stoll(Query("SELECT id FROM dead_letters WHERE version = 2"));
  absl::StatusOr<std::vector<store::DeadLetter>> queued =
      admin.RequestReplay(id, absl::Now() + absl::Seconds(10));
  ASSERT_TRUE(queued.ok()) << queued.status();
  EXPECT_EQ(queued->size(), 4u);
  ASSERT_TRUE(testing::WaitUntil(
      [&] { return Query("SELECT version FROM order_summary WHERE order_id = 'poison-1'") == "5"; },
      absl::Seconds(30)));
  EXPECT_EQ(Query("SELECT count(*) FROM dead_letters WHERE status = 'replayed'"), "4");
  EXPECT_EQ(testing::CountReadModelMismatches(db_.url()), 0);

  // The stream is current again: new events apply directly.
  Append("poison-1", 6, "OrderItemRemoved", testing::ItemRemovedPayload("poison-1", "late"));
  ASSERT_TRUE(WaitCaughtUp(absl::Seconds(30)));
  EXPECT_EQ(Query("SELECT version FROM order_summary WHERE order_id = 'poison-1'"), "6");
  EXPECT_EQ(Query("SELECT count(*) FROM dead_letters WHERE status = 'parked'"), "0");
  runner.Stop();
}

TEST_F(ProjectorTest, APoisonEventInAFullBatchLosesNoEventAfterIt) {
  // Written before the runner starts, so batches are full and the next one is read ahead
  // while the one with the poison event fails.
  for (int i = 0; i < 40; ++i) AppendOrder(absl::StrCat("full-", i), 4);  // versions 1..5
  projection_.FailOn("full-3", 2);
  store::SubscriptionRunner runner(db_.url(), projection_, FastOptions());
  runner.Start();
  ASSERT_TRUE(WaitCaughtUp(absl::Seconds(30)));
  runner.Stop();

  EXPECT_EQ(Query("SELECT count(*) FROM order_summary WHERE order_id LIKE 'full-%' AND "
                  "version = 5"),
            "39");
  EXPECT_EQ(Query("SELECT version FROM order_summary WHERE order_id = 'full-3'"), "1");
  EXPECT_EQ(Query("SELECT string_agg(version::text, ',' ORDER BY version) FROM dead_letters "
                  "WHERE stream_id = 'full-3' AND status = 'parked'"),
            "2,3,4,5");
}

// Rows exactly as the code before OrderCreated v2 wrote them (schema_version 1, a flat
// customer_id) and v2 rows project alike: every reader sees the v2 shape.
TEST_F(ProjectorTest, OrderCreatedV1AndV2ProjectAlike) {
  Append("v1-order", 1, "OrderCreated",
         R"({"currency": "EUR", "order_id": "v1-order", "customer_id": "customer-v1"})");
  {
    pqxx::connection connection(db_.url());
    pqxx::work tx(connection);
    testing::InsertOrderEvent(tx, "v2-order", 1, "OrderCreated",
                              R"({"order_id": "v2-order", "currency": "EUR", "customer":)"
                              R"( {"id": "customer-v2", "email": "v2@example.com"},)"
                              R"( "shipping_address": {"name": "A", "line1": "Main St 1",)"
                              R"( "line2": "", "city": "Berlin", "postal_code": "10115",)"
                              R"( "country": "DE"}})",
                              /*schema_version=*/2);
    tx.commit();
  }
  store::SubscriptionRunner runner(db_.url(), projection_, FastOptions());
  runner.Start();
  ASSERT_TRUE(WaitCaughtUp(absl::Seconds(30)));
  runner.Stop();
  EXPECT_EQ(Query("SELECT customer_id || '|' || customer_email || '|' || "
                  "coalesce(shipping_address::text, 'none') FROM order_summary "
                  "WHERE order_id = 'v1-order'"),
            "customer-v1||none");
  EXPECT_EQ(Query("SELECT customer_id || '|' || customer_email || '|' || "
                  "(shipping_address->>'city') FROM order_summary WHERE order_id = 'v2-order'"),
            "customer-v2|v2@example.com|Berlin");
  EXPECT_EQ(testing::CountReadModelMismatches(db_.url()), 0);
}

// The decoder is strict: a payload missing a field is an error the runtime parks (by
// stream), never a line of zero units.
TEST_F(ProjectorTest, AnUndecodablePayloadIsParkedWithTheDecodersError) {
  AppendOrder("bad-payload", 0);
  Append("bad-payload", 2, "OrderItemAdded", R"({"order_id": "bad-payload", "sku": "s"})");
  AppendOrder("good-after", 1);
  store::SubscriptionRunner runner(db_.url(), projection_, FastOptions());
  runner.Start();
  ASSERT_TRUE(WaitCaughtUp(absl::Seconds(30)));
  runner.Stop();
  EXPECT_EQ(Query("SELECT version FROM order_summary WHERE order_id = 'bad-payload'"), "1");
  EXPECT_EQ(Query("SELECT version FROM order_summary WHERE order_id = 'good-after'"), "2");
  const std::string error = Query(
      "SELECT error FROM dead_letters WHERE stream_id = 'bad-payload' AND version = 2 "
      "AND status = 'parked'");
  EXPECT_NE(error.find("quantity: required field missing"), std::string::npos) << error;
}

TEST_F(ProjectorTest, DiscardRecordsTheReason) {
  projection_.FailOn("discard-1", 1);
  store::SubscriptionRunner runner(db_.url(), projection_, FastOptions());
  runner.Start();
  AppendOrder("discard-1", 0);
  ASSERT_TRUE(WaitCaughtUp(absl::Seconds(30)));
  store::ConnectionPool pool({db_.url(), 1});
  store::ProjectionAdmin admin(pool);
  const int64_t id = std::stoll(Query("SELECT id FROM dead_letters"));
  EXPECT_EQ(admin.Discard(id, "", absl::Now() + absl::Seconds(5)).status().code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<store::DeadLetter> discarded =
      admin.Discard(id, "test order, never real", absl::Now() + absl::Seconds(5));
  ASSERT_TRUE(discarded.ok()) << discarded.status();
  EXPECT_EQ(discarded->status, store::DeadLetterStatus::kDiscarded);
  EXPECT_EQ(Query("SELECT discard_reason FROM dead_letters"), "test order, never real");
  EXPECT_EQ(admin.Discard(id, "again", absl::Now() + absl::Seconds(5)).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(admin.RequestReplay(id + 1000, absl::Now() + absl::Seconds(5)).status().code(),
            absl::StatusCode::kNotFound);
  runner.Stop();
}

TEST_F(ProjectorTest, RebuildGivesIdenticalTables) {
  for (int i = 0; i < 300; ++i) AppendOrder(absl::StrCat("rb-", i), i % 7);
  Append("rb-1", 3, "OrderItemRemoved", testing::ItemRemovedPayload("rb-1", "sku-0"));
  Append("rb-2", 4, "OrderConfirmed", R"({"order_id":"rb-2"})");
  store::SubscriptionRunner runner(db_.url(), projection_, FastOptions());
  runner.Start();
  ASSERT_TRUE(WaitCaughtUp());
  ASSERT_EQ(testing::CountReadModelMismatches(db_.url()), 0);
  const std::string before = TablesChecksum();
  // A row no event made: the runner's rebuild empties the tables first, so it goes.
  Query(
      "INSERT INTO order_summary (order_id, customer_id, status, line_count, item_count,"
      " total_cents, currency, version, created_at, updated_at)"
      " VALUES ('stray', 'c', 'PENDING', 0, 0, 0, 'EUR', 1, now(), now())");

  store::ConnectionPool pool({db_.url(), 1});
  store::ProjectionAdmin admin(pool);
  ASSERT_TRUE(admin.RequestRebuild(projection_.name(), absl::Now() + absl::Seconds(10)).ok());
  ASSERT_TRUE(WaitRebuilt());
  EXPECT_EQ(TablesChecksum(), before);
  EXPECT_EQ(Query("SELECT count(*) FROM order_summary WHERE order_id = 'stray'"), "0");
  EXPECT_EQ(Query("SELECT count(*) FROM order_summary"), "300");
  runner.Stop();
}

TEST_F(ProjectorTest, RebuildStopsAtAPoisonEventAndSaysSo) {
  AppendOrder("rbp-1", 2);
  AppendOrder("rbp-2", 2);
  store::SubscriptionRunner runner(db_.url(), projection_, FastOptions());
  runner.Start();
  ASSERT_TRUE(WaitCaughtUp());

  projection_.FailOn("rbp-2", 2);
  store::ConnectionPool pool({db_.url(), 1});
  store::ProjectionAdmin admin(pool);
  ASSERT_TRUE(admin.RequestRebuild(projection_.name(), absl::Now() + absl::Seconds(10)).ok());
  ASSERT_TRUE(testing::WaitUntil(
      [&] { return Query("SELECT state FROM projection_checkpoints") == "failed"; },
      absl::Seconds(30)));
  EXPECT_NE(Query("SELECT last_error FROM projection_checkpoints").find("rbp-2@2"),
            std::string::npos);
  EXPECT_EQ(Query("SELECT count(*) FROM dead_letters WHERE status = 'parked'"), "0");
  absl::StatusOr<store::ProjectionsOverview> overview =
      admin.Overview(absl::Now() + absl::Seconds(5));
  ASSERT_TRUE(overview.ok());
  ASSERT_EQ(overview->projections.size(), 1u);
  EXPECT_EQ(overview->projections[0].state, store::CheckpointState::kFailed);
  EXPECT_GT(overview->projections[0].events_behind, 0);

  // After the fix, a new rebuild completes.
  projection_.Fix();
  ASSERT_TRUE(admin.RequestRebuild(projection_.name(), absl::Now() + absl::Seconds(10)).ok());
  ASSERT_TRUE(WaitRebuilt());
  EXPECT_EQ(testing::CountReadModelMismatches(db_.url()), 0);
  runner.Stop();
}

TEST_F(ProjectorTest, OnlyOneRunnerAppliesAndAStandbyTakesOver) {
  CheckedProjection second_projection;
  auto first = std::make_unique<store::SubscriptionRunner>(db_.url(), projection_, FastOptions());
  store::SubscriptionRunner second(db_.url(), second_projection, FastOptions());
  first->Start();
  ASSERT_TRUE(testing::WaitUntil([&] { return first->is_active(); }, absl::Seconds(10)));
  second.Start();
  AppendOrder("fo-1", 1);
  ASSERT_TRUE(WaitCaughtUp());
  EXPECT_FALSE(second.is_active());

  first.reset();  // its session ends, and with it the lock
  ASSERT_TRUE(testing::WaitUntil([&] { return second.is_active(); }, absl::Seconds(10)));
  AppendOrder("fo-2", 1);
  ASSERT_TRUE(WaitCaughtUp());
  EXPECT_EQ(testing::CountReadModelMismatches(db_.url()), 0);
  second.Stop();
}

TEST_F(ProjectorTest, ReconnectsAfterTheDatabaseWasUnreachable) {
  testing::TcpProxy proxy(db_.port());
  store::SubscriptionRunner runner(
      absl::StrCat("host=127.0.0.1 port=", proxy.port(), " user=postgres dbname=", db_.name()),
      projection_, FastOptions());
  runner.Start();
  AppendOrder("rc-1", 1);
  ASSERT_TRUE(WaitCaughtUp());

  proxy.Cut();
  ASSERT_TRUE(testing::WaitUntil([&] { return !runner.is_active(); }, absl::Seconds(10)));
  AppendOrder("rc-2", 2);  // written while the projector cannot reach the database
  proxy.Restore();
  ASSERT_TRUE(WaitCaughtUp());
  EXPECT_TRUE(runner.is_active());
  EXPECT_EQ(testing::CountReadModelMismatches(db_.url()), 0);
  EXPECT_EQ(Query("SELECT version FROM order_summary WHERE order_id = 'rc-2'"), "3");
  runner.Stop();
}

// A dump restored into a new cluster keeps the stored tx_ids while new transactions get
// far lower ones: rebaseline must make new events sort after the restored ones.
TEST_F(ProjectorTest, RebaselineAfterARestoreKeepsNewEventsAfterTheOldOnes) {
  {
    pqxx::connection connection(db_.url());
    pqxx::work tx(connection);
    for (int version = 1; version <= 2; ++version) {
      tx.exec_params(
          "INSERT INTO events (stream_id, stream_type, version, event_id, event_type, "
          "schema_version, payload, metadata, tx_id) VALUES ('restored-1', 'order', $1, "
          "gen_random_uuid(), $2, 1, $3::jsonb, '{}', '5000000000')",
          version, version == 1 ? "OrderCreated" : "OrderItemAdded",
          version == 1 ? testing::CreatedPayload("restored-1", "c")
                       : testing::ItemAddedPayload("restored-1", "sku-old", 1, 100));
    }
    tx.commit();
  }
  store::ConnectionPool pool({db_.url(), 1});
  store::ProjectionAdmin admin(pool);
  absl::StatusOr<std::string> done = admin.Rebaseline(absl::Now() + absl::Seconds(10));
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_NE(done->find("offset set"), std::string::npos) << *done;

  Append("restored-1", 3, "OrderItemAdded",
         testing::ItemAddedPayload("restored-1", "sku-new", 2, 100));
  EXPECT_EQ(Query("SELECT tx_id > '5000000000'::xid8 FROM events WHERE version = 3"), "t");

  store::SubscriptionRunner runner(db_.url(), projection_, FastOptions());
  runner.Start();
  ASSERT_TRUE(WaitCaughtUp());
  EXPECT_EQ(Query("SELECT version || ':' || item_count FROM order_summary"), "3:3");
  EXPECT_EQ(testing::CountReadModelMismatches(db_.url()), 0);
  runner.Stop();

  absl::StatusOr<std::string> again = admin.Rebaseline(absl::Now() + absl::Seconds(10));
  ASSERT_TRUE(again.ok());
  EXPECT_NE(again->find("nothing to do"), std::string::npos) << *again;
}

TEST_F(ProjectorTest, OverviewShowsLagAndHeartbeat) {
  AppendOrder("lag-1", 4);
  store::ConnectionPool pool({db_.url(), 1});
  store::ProjectionAdmin admin(pool);
  {
    pqxx::connection connection(db_.url());
    pqxx::work tx(connection);
    tx.exec("INSERT INTO projection_checkpoints (name) VALUES ('order_summary')");
    tx.commit();
  }
  absl::StatusOr<store::ProjectionsOverview> idle = admin.Overview(absl::Now() + absl::Seconds(5));
  ASSERT_TRUE(idle.ok()) << idle.status();
  ASSERT_EQ(idle->projections.size(), 1u);
  EXPECT_EQ(idle->projections[0].events_behind, 5);
  EXPECT_FALSE(idle->projections[0].last_heartbeat.has_value());

  store::SubscriptionRunner runner(db_.url(), projection_, FastOptions());
  runner.Start();
  ASSERT_TRUE(WaitCaughtUp());
  absl::StatusOr<store::ProjectionsOverview> current =
      admin.Overview(absl::Now() + absl::Seconds(5));
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(current->projections[0].events_behind, 0);
  EXPECT_EQ(current->projections[0].seconds_behind, 0);
  ASSERT_TRUE(current->projections[0].last_heartbeat.has_value());
  EXPECT_LT(absl::Now() - *current->projections[0].last_heartbeat, absl::Seconds(10));
  runner.Stop();
}

}  // namespace
}  // namespace ordo::query
