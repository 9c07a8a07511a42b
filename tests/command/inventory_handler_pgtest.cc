// The Inventory aggregate through the generic command pipeline on a real PostgreSQL: no
// oversell under concurrency, recorded reservation outcomes, snapshots that change no
// answer, and the SKU stream ids.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "command/handler/inventory_traits.h"
#include "store/log/event_store.h"
#include "store/pg/connection_pool.h"
#include "support/command_writer.h"
#include "support/test_database.h"

namespace ordo::command {
namespace {

using domain::CommitStock;
using domain::ReceiveStock;
using domain::ReleaseStock;
using domain::ReserveStock;
using Outcome = InventoryCommandHandler::Outcome;

using Writer = testing::CommandWriter<InventoryCommandHandler>;

CommandContext Context(const std::string& request_id = "") {
  CommandContext context;
  context.request_id = request_id;
  context.fingerprint = "fp-" + request_id;
  context.correlation_id = "corr-1";
  context.deadline = absl::Now() + absl::Seconds(60);
  return context;
}

class InventoryHandlerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { database_ = new testing::TestDatabase(); }
  static void TearDownTestSuite() { delete database_; }

  absl::StatusOr<Outcome> Run(const domain::InventoryCommand& command,
                              const CommandContext& context = Context()) {
    return writer_.handler.Handle(command, context);
  }

  static testing::TestDatabase* database_;
  Writer writer_{database_->url(), 8};
};
testing::TestDatabase* InventoryHandlerTest::database_ = nullptr;

TEST_F(InventoryHandlerTest, SkuStreamsArePrefixedWithTheirType) {
  absl::StatusOr<Outcome> received = Run(ReceiveStock{"mug-white", 5});
  ASSERT_TRUE(received.ok()) << received.status();
  EXPECT_EQ(received->stream_id, "inventory:mug-white");
  EXPECT_EQ(database_->Query("SELECT stream_type || ' ' || event_type || ' ' || schema_version "
                             "FROM events WHERE stream_id = 'inventory:mug-white'"),
            "inventory StockReceived 1");
}

TEST_F(InventoryHandlerTest, ThirtyTwoThreadsNeverOversellOneSku) {
  ASSERT_TRUE(Run(ReceiveStock{"hot-sku", 1000}).ok());
  // Two processes of 16 threads each, 500 reservations of 3 units, one per order.
  CommandHandlerOptions patient;
  patient.max_attempts = 1000;
  Writer a(database_->url(), 8, patient);
  Writer b(database_->url(), 8, patient);
  std::atomic<int> next{0}, reserved{0}, rejected{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 32; ++t) {
    Writer& writer = t % 2 == 0 ? a : b;
    threads.emplace_back([&] {
      for (int i = next++; i < 500; i = next++) {
        absl::StatusOr<Outcome> outcome =
            writer.handler.Handle(ReserveStock{"hot-sku", absl::StrCat("order-", i), 3}, Context());
        if (!outcome.ok()) {
          ++failed;
          ADD_FAILURE() << outcome.status();
        } else if (outcome->summary.reservation_open) {
          ++reserved;
        } else {
          ++rejected;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(reserved.load(), 333);
  EXPECT_EQ(rejected.load(), 167);
  // From the events alone: 333 reservations, and `available` never below zero after any
  // event (a running sum over the stream in version order).
  EXPECT_EQ(database_->Query("SELECT count(*) FROM events WHERE stream_id = 'inventory:hot-sku' "
                             "AND event_type = 'StockReserved'"),
            "333");
  EXPECT_EQ(database_->Query(R"sql(
    SELECT min(available) FROM (
      SELECT sum(CASE event_type
                   WHEN 'StockReceived' THEN (payload->>'quantity')::bigint
                   WHEN 'StockReserved' THEN -(payload->>'quantity')::bigint
                   WHEN 'StockReleased' THEN (payload->>'quantity')::bigint
                   ELSE 0 END) OVER (ORDER BY version) AS available
        FROM events WHERE stream_id = 'inventory:hot-sku') running)sql"),
            "1");
  absl::StatusOr<domain::Inventory> state =
      writer_.handler.Current("inventory:hot-sku", absl::Now() + absl::Seconds(10));
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->available(), 1);
  EXPECT_EQ(state->reservations.size(), 333u);
}

TEST_F(InventoryHandlerTest, ARetriedReservationGetsTheSameAnswer) {
  ASSERT_TRUE(Run(ReceiveStock{"scarce", 2}).ok());
  absl::StatusOr<Outcome> rejected = Run(ReserveStock{"scarce", "o-big", 5}, Context("res-big"));
  ASSERT_TRUE(rejected.ok()) << rejected.status();
  EXPECT_FALSE(rejected->summary.reservation_open);
  // Stock arrives; the retry of the same request still answers as the first time did.
  ASSERT_TRUE(Run(ReceiveStock{"scarce", 10}).ok());
  Writer restarted(database_->url(), 2);  // no cache: the answer comes from the record
  absl::StatusOr<Outcome> again =
      restarted.handler.Handle(ReserveStock{"scarce", "o-big", 5}, Context("res-big"));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(again->summary.reservation_open);
  EXPECT_EQ(again->version, rejected->version);
  EXPECT_EQ(again->position, rejected->position);
  EXPECT_EQ(database_->Query("SELECT count(*) FROM events WHERE stream_id = 'inventory:scarce'"),
            "3");
  // A new request is decided anew.
  absl::StatusOr<Outcome> fresh = Run(ReserveStock{"scarce", "o-big", 5}, Context("res-big-2"));
  ASSERT_TRUE(fresh.ok());
  EXPECT_TRUE(fresh->summary.reservation_open);
}

TEST_F(InventoryHandlerTest, ReleaseIsANoOpTheSecondTimeAndCommitNeedsAReservation) {
  ASSERT_TRUE(Run(ReceiveStock{"cycle", 10}).ok());
  ASSERT_TRUE(Run(ReserveStock{"cycle", "o-1", 4}).ok());
  absl::StatusOr<Outcome> released = Run(ReleaseStock{"cycle", "o-1"});
  ASSERT_TRUE(released.ok());
  absl::StatusOr<Outcome> again = Run(ReleaseStock{"cycle", "o-1"});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->version, released->version) << "a repeated release appends nothing";
  EXPECT_EQ(again->position, released->position);
  EXPECT_EQ(Run(CommitStock{"cycle", "o-1"}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // A release of a SKU that has no stream is a no-op too, with version 0.
  absl::StatusOr<Outcome> nothing = Run(ReleaseStock{"never-seen", "o-1"});
  ASSERT_TRUE(nothing.ok()) << nothing.status();
  EXPECT_EQ(nothing->version, 0);
  EXPECT_EQ(
      database_->Query("SELECT count(*) FROM events WHERE stream_id = 'inventory:never-seen'"),
      "0");
}

TEST_F(InventoryHandlerTest, ASnapshotLoadedAggregateEqualsTheEventLoadedOne) {
  ASSERT_TRUE(Run(ReceiveStock{"long", 100000}).ok());
  // 1,200 events: reserve and commit or release in turn, 30 left open.
  for (int i = 0; i < 600; ++i) {
    const std::string order = absl::StrCat("o-", i);
    ASSERT_TRUE(Run(ReserveStock{"long", order, 1 + i % 7}).ok());
    if (i % 20 == 0) continue;
    if (i % 2 == 0) {
      ASSERT_TRUE(Run(CommitStock{"long", order}).ok());
    } else {
      ASSERT_TRUE(Run(ReleaseStock{"long", order}).ok());
    }
  }
  EXPECT_EQ(database_->Query("SELECT version >= 1000 FROM snapshots "
                             "WHERE stream_id = 'inventory:long' AND schema_version = 1"),
            "t");
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  CommandHandlerOptions without;
  without.snapshots = false;
  Writer from_events(database_->url(), 2, without);
  Writer from_snapshot(database_->url(), 2);
  absl::StatusOr<domain::Inventory> a = from_events.handler.Current("inventory:long", deadline);
  absl::StatusOr<domain::Inventory> b = from_snapshot.handler.Current("inventory:long", deadline);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(a->version, 1171);
  EXPECT_EQ(b->version, a->version);
  EXPECT_EQ(b->sku, a->sku);
  EXPECT_EQ(b->on_hand, a->on_hand);
  EXPECT_EQ(b->reserved, a->reserved);
  EXPECT_EQ(b->reservations, a->reservations);
  EXPECT_EQ(a->reservations.size(), 30u);

  // Deleting every snapshot changes no answer; a snapshot of another schema version is
  // ignored.
  database_->Query("UPDATE snapshots SET schema_version = 99");
  absl::StatusOr<domain::Inventory> c =
      Writer(database_->url(), 2).handler.Current("inventory:long", deadline);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->reservations, a->reservations);
  // A snapshot that does not load (its state lacks what the aggregate needs) is ignored
  // too: the whole stream is read instead.
  database_->Query("UPDATE snapshots SET schema_version = 1, state = '{}'");
  absl::StatusOr<domain::Inventory> d =
      Writer(database_->url(), 2).handler.Current("inventory:long", deadline);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->version, a->version);
  EXPECT_EQ(d->reservations, a->reservations);
  database_->Query("DELETE FROM snapshots");
  Writer cold(database_->url(), 2);
  absl::StatusOr<Outcome> next = cold.handler.Handle(ReserveStock{"long", "o-last", 1}, Context());
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->version, 1172);
  EXPECT_EQ(next->summary.reserved, a->reserved + 1);
}

}  // namespace
}  // namespace ordo::command
