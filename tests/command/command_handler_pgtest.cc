// The command path against a real PostgreSQL: lifecycle, concurrency without lost or
// doubled updates, idempotent requests (also racing), expected versions, metadata, and
// database outages.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "command/handler/order_traits.h"
#include "common/worker_pool.h"
#include "store/log/event_store.h"
#include "store/pg/connection_pool.h"
#include "support/command_writer.h"
#include "support/tcp_proxy.h"
#include "support/test_database.h"

namespace ordo::command {
namespace {

using domain::AddItem;
using domain::CancelOrder;
using domain::ConfirmOrder;
using domain::CreateOrder;
using domain::RemoveItem;
using domain::ShipOrder;
using CommandOutcome = OrderCommandHandler::Outcome;

using Writer = testing::CommandWriter<OrderCommandHandler>;

// Every test runs on both of the handler's paths (the parameter), each path in a database
// of its own.
class CommandHandlerTest : public ::testing::TestWithParam<testing::HandlerPath> {
 protected:
  static void SetUpTestSuite() {
    databases_[0] = new testing::TestDatabase();
    databases_[1] = new testing::TestDatabase();
  }
  static void TearDownTestSuite() {
    for (testing::TestDatabase*& database : databases_) delete std::exchange(database, nullptr);
  }

  static CommandContext Context(const std::string& request_id = "",
                                const std::string& fingerprint = "fp") {
    CommandContext context;
    context.request_id = request_id;
    context.fingerprint = fingerprint;
    context.correlation_id = "corr-1";
    context.peer = "ipv4:127.0.0.1:1";
    context.deadline = absl::Now() + absl::Seconds(30);
    return context;
  }

  absl::StatusOr<CommandOutcome> Run(const domain::OrderCommand& command,
                                     const CommandContext& context = Context()) {
    return writer_.Run(command, context);
  }

  std::string Count(const std::string& where) {
    return database_->Query("SELECT count(*) FROM events WHERE " + where);
  }

  static testing::TestDatabase* databases_[2];
  testing::TestDatabase* const database_ =
      databases_[GetParam() == testing::HandlerPath::kBlocking ? 0 : 1];
  Writer writer_{database_->url(), 20, {}, GetParam()};
};
testing::TestDatabase* CommandHandlerTest::databases_[2] = {nullptr, nullptr};

TEST_P(CommandHandlerTest, WholeLifecycle) {
  absl::StatusOr<CommandOutcome> created = Run(CreateOrder{"life-1", "cust-1", "EUR"});
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->stream_id, "life-1");
  EXPECT_EQ(created->version, 1);
  ASSERT_TRUE(Run(AddItem{"life-1", "sku-a", 2, 500}).ok());
  ASSERT_TRUE(Run(AddItem{"life-1", "sku-b", 1, 1500}).ok());
  ASSERT_TRUE(Run(RemoveItem{"life-1", "sku-b"}).ok());
  ASSERT_TRUE(Run(ConfirmOrder{"life-1"}).ok());
  absl::StatusOr<CommandOutcome> shipped = Run(ShipOrder{"life-1", "1Z999"});
  ASSERT_TRUE(shipped.ok()) << shipped.status();
  EXPECT_EQ(shipped->version, 6);
  EXPECT_LT(created->position, shipped->position);
  EXPECT_EQ(database_->Query("SELECT string_agg(event_type, ',' ORDER BY version) FROM events "
                             "WHERE stream_id = 'life-1'"),
            "OrderCreated,OrderItemAdded,OrderItemAdded,OrderItemRemoved,OrderConfirmed,"
            "OrderShipped");
  EXPECT_EQ(Run(CancelOrder{"life-1", "too late"}).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

// An order created by the code before OrderCreated v2 (schema_version 1, a flat
// customer_id, inserted here as that code wrote it) loads in the v2 shape and takes
// commands; new events are written in the current version.
TEST_P(CommandHandlerTest, AnOrderStoredAsV1LoadsAndTakesCommands) {
  database_->Query(
      "INSERT INTO events (stream_id, stream_type, version, event_id, event_type, "
      "schema_version, payload, metadata) VALUES ('v1-1', 'order', 1, gen_random_uuid(), "
      "'OrderCreated', 1, '{\"order_id\": \"v1-1\", \"customer_id\": \"cust-v1\", "
      "\"currency\": \"EUR\"}', '{}')");
  absl::StatusOr<domain::Order> loaded =
      writer_.handler.Current("v1-1", absl::Now() + absl::Seconds(10));
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->customer_id, "cust-v1");
  EXPECT_EQ(loaded->customer_email, "");
  EXPECT_EQ(loaded->currency, "EUR");
  ASSERT_TRUE(Run(AddItem{"v1-1", "sku-a", 2, 500}).ok());
  ASSERT_TRUE(Run(CreateOrder{"v2-1", "cust-v2", "EUR", "v2@example.com"}).ok());
  EXPECT_EQ(database_->Query("SELECT schema_version || ' ' || (payload->'customer'->>'email') "
                             "FROM events WHERE stream_id = 'v2-1'"),
            "2 v2@example.com");
}

TEST_P(CommandHandlerTest, CreateOrderWithoutIdGetsAUuid) {
  absl::StatusOr<CommandOutcome> created = Run(CreateOrder{"", "cust-1", "EUR"});
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->stream_id.size(), 36u);
  EXPECT_EQ(Count("stream_id = '" + created->stream_id + "'"), "1");
}

TEST_P(CommandHandlerTest, ErrorsWriteNothing) {
  EXPECT_EQ(Run(ConfirmOrder{"missing-1"}).status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(Run(CreateOrder{"err-1", "cust-1", "EUR"}).ok());
  EXPECT_EQ(Run(CreateOrder{"err-1", "cust-2", "EUR"}, Context("other-request")).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Run(ConfirmOrder{"err-1"}).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Run(AddItem{"err-1", "sku", 0, 1}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Count("stream_id = 'err-1'"), "1");
  EXPECT_EQ(Count("stream_id = 'missing-1'"), "0");
}

TEST_P(CommandHandlerTest, SixteenThreadsOnOneOrderApplyEveryCommandExactlyOnce) {
  ASSERT_TRUE(Run(CreateOrder{"hot-1", "cust-1", "EUR"}).ok());
  constexpr int kThreads = 16;
  constexpr int kPerThread = 50;
  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        // Every thread adds to its own SKU so the final quantities show who was applied.
        if (!Run(AddItem{"hot-1", absl::StrCat("sku-", t), 1, 100}).ok()) ++failures[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
  EXPECT_EQ(Count("stream_id = 'hot-1'"), "801");
  EXPECT_EQ(database_->Query("SELECT min(version) = 1 AND max(version) = 801 AND "
                             "count(DISTINCT version) = 801 FROM events WHERE stream_id = 'hot-1'"),
            "t");
  EXPECT_EQ(database_->Query(
                "SELECT count(*) FROM (SELECT payload->>'sku' AS sku, "
                "sum((payload->>'quantity')::int) AS units FROM events WHERE stream_id = 'hot-1' "
                "AND event_type = 'OrderItemAdded' GROUP BY 1) lines WHERE units = 50"),
            "16");
}

TEST_P(CommandHandlerTest, ConflictsBetweenProcessesAreRetriedUntilApplied) {
  ASSERT_TRUE(Run(CreateOrder{"hot-2", "cust-1", "EUR"}).ok());
  // Two writers with their own pools conflict in the database, not in a process lock.
  CommandHandlerOptions patient;
  patient.max_attempts = 1000;
  Writer a(database_->url(), 4, patient, GetParam());
  Writer b(database_->url(), 4, patient, GetParam());
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    Writer& writer = t % 2 == 0 ? a : b;
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        auto outcome = writer.Run(AddItem{"hot-2", absl::StrCat("sku-", t), 1, 1}, Context());
        if (!outcome.ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(database_->Query("SELECT count(*) = 81 AND max(version) = 81 FROM events "
                             "WHERE stream_id = 'hot-2'"),
            "t");
}

TEST_P(CommandHandlerTest, AStaleCacheNeverDecidesAlone) {
  // This process caches the empty order; another process then adds a line.
  ASSERT_TRUE(Run(CreateOrder{"stale-1", "cust-1", "EUR"}).ok());
  Writer other_process(database_->url(), 2, {}, GetParam());
  ASSERT_TRUE(other_process.Run(AddItem{"stale-1", "sku", 1, 1}, Context()).ok());
  // The cache says "empty": confirming must still succeed, on the stored state.
  absl::StatusOr<CommandOutcome> confirmed = Run(ConfirmOrder{"stale-1"});
  ASSERT_TRUE(confirmed.ok()) << confirmed.status();
  EXPECT_EQ(confirmed->version, 3);

  // The same with an expected_version that only the store knows to be right.
  ASSERT_TRUE(other_process.Run(ShipOrder{"stale-1", "T-1"}, Context()).ok());
  CommandContext current = Context();
  current.expected_version = 4;
  absl::StatusOr<CommandOutcome> cancelled = Run(CancelOrder{"stale-1", "x"}, current);
  EXPECT_EQ(cancelled.status().code(), absl::StatusCode::kFailedPrecondition)
      << cancelled.status();  // shipped: the stored state decides, not the cached one
  EXPECT_EQ(Count("stream_id = 'stale-1'"), "4");
}

TEST_P(CommandHandlerTest, RepeatedRequestIdReturnsTheFirstOutcomeAndAppendsNothing) {
  ASSERT_TRUE(Run(CreateOrder{"idem-1", "cust-1", "EUR"}, Context("idem-1-create")).ok());
  absl::StatusOr<CommandOutcome> first =
      Run(AddItem{"idem-1", "sku", 1, 100}, Context("idem-1-add"));
  ASSERT_TRUE(first.ok()) << first.status();
  // The reply was lost; the client retries the same request.
  absl::StatusOr<CommandOutcome> again =
      Run(AddItem{"idem-1", "sku", 1, 100}, Context("idem-1-add"));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->version, first->version);
  EXPECT_EQ(again->position, first->position);
  EXPECT_EQ(Count("stream_id = 'idem-1'"), "2");
  // Also after a "restart": a new handler with a new pool.
  Writer restarted(database_->url(), 2, {}, GetParam());
  absl::StatusOr<CommandOutcome> after_restart =
      restarted.Run(AddItem{"idem-1", "sku", 1, 100}, Context("idem-1-add"));
  ASSERT_TRUE(after_restart.ok());
  EXPECT_EQ(after_restart->position, first->position);
  EXPECT_EQ(Count("stream_id = 'idem-1'"), "2");
}

TEST_P(CommandHandlerTest, RequestIdReusedForOtherContentIsRefused) {
  ASSERT_TRUE(Run(CreateOrder{"idem-2", "cust-1", "EUR"}, Context("idem-2-r", "fp-a")).ok());
  absl::StatusOr<CommandOutcome> other =
      Run(CreateOrder{"idem-2b", "cust-1", "EUR"}, Context("idem-2-r", "fp-b"));
  EXPECT_EQ(other.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(other.status().message().substr(0, 11), "request_id:");
  EXPECT_EQ(Count("stream_id = 'idem-2b'"), "0");
}

TEST_P(CommandHandlerTest, RacingRepeatsAppendOnceAndAllGetTheSameOutcome) {
  ASSERT_TRUE(Run(CreateOrder{"race-1", "cust-1", "EUR"}).ok());
  Writer other_process(database_->url(), 4, {}, GetParam());
  constexpr int kCalls = 8;
  std::vector<absl::StatusOr<CommandOutcome>> outcomes(kCalls, absl::UnknownError("not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < kCalls; ++i) {
    Writer& writer = i % 2 == 0 ? writer_ : other_process;
    threads.emplace_back([&, i] {
      outcomes[i] = writer.Run(AddItem{"race-1", "sku", 3, 100}, Context("race-1-add"));
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& outcome : outcomes) {
    ASSERT_TRUE(outcome.ok()) << outcome.status();
    EXPECT_EQ(outcome->version, 2);
    EXPECT_EQ(outcome->position, outcomes[0]->position);
  }
  EXPECT_EQ(Count("stream_id = 'race-1'"), "2");
}

TEST_P(CommandHandlerTest, RacingCreateRepeatsAllSucceed) {
  Writer other_process(database_->url(), 4, {}, GetParam());
  std::vector<absl::StatusOr<CommandOutcome>> outcomes(6, absl::UnknownError("not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    Writer& writer = i % 2 == 0 ? writer_ : other_process;
    threads.emplace_back([&, i] {
      outcomes[i] = writer.Run(CreateOrder{"race-2", "cust-1", "EUR"}, Context("race-2-c"));
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& outcome : outcomes) {
    ASSERT_TRUE(outcome.ok()) << outcome.status();
    EXPECT_EQ(outcome->position, outcomes[0]->position);
  }
  EXPECT_EQ(Count("stream_id = 'race-2'"), "1");
}

TEST_P(CommandHandlerTest, ExpectedVersionMustMatch) {
  ASSERT_TRUE(Run(CreateOrder{"ev-1", "cust-1", "EUR"}).ok());
  CommandContext stale = Context();
  stale.expected_version = 0;
  absl::StatusOr<CommandOutcome> aborted = Run(AddItem{"ev-1", "sku", 1, 1}, stale);
  EXPECT_EQ(aborted.status().code(), absl::StatusCode::kAborted) << aborted.status();
  EXPECT_EQ(Count("stream_id = 'ev-1'"), "1");
  CommandContext current = Context();
  current.expected_version = 1;
  absl::StatusOr<CommandOutcome> applied = Run(AddItem{"ev-1", "sku", 1, 1}, current);
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_EQ(applied->version, 2);
  CommandContext negative = Context();
  negative.expected_version = -1;
  EXPECT_EQ(Run(AddItem{"ev-1", "sku", 1, 1}, negative).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_P(CommandHandlerTest, RecordsMetadataOnEveryEvent) {
  CommandContext context = Context("meta-1-create");
  context.causation_id = "cause-9";
  ASSERT_TRUE(Run(CreateOrder{"meta-1", "cust-1", "EUR"}, context).ok());
  EXPECT_EQ(database_->Query("SELECT metadata->>'request_id' || ' ' || "
                             "(metadata->>'correlation_id') || ' ' || "
                             "(metadata->>'causation_id') || ' ' || (metadata->>'peer') || ' ' || "
                             "(metadata->>'command') FROM events WHERE stream_id = 'meta-1'"),
            "meta-1-create corr-1 cause-9 ipv4:127.0.0.1:1 CreateOrder");
}

TEST_P(CommandHandlerTest, EmptyRequestIdIsMadeUpAndNotDeduplicated) {
  ASSERT_TRUE(Run(CreateOrder{"noid-1", "cust-1", "EUR"}).ok());
  ASSERT_TRUE(Run(AddItem{"noid-1", "sku", 1, 1}).ok());
  ASSERT_TRUE(Run(AddItem{"noid-1", "sku", 1, 1}).ok());
  EXPECT_EQ(Count("stream_id = 'noid-1'"), "3");
  EXPECT_EQ(database_->Query("SELECT count(DISTINCT metadata->>'request_id') FROM events WHERE "
                             "stream_id = 'noid-1' AND length(metadata->>'request_id') = 36"),
            "3");
  EXPECT_EQ(database_->Query("SELECT count(*) FROM command_requests WHERE stream_id = 'noid-1'"),
            "0");
}

TEST_P(CommandHandlerTest, RequestIdIsAtMost64Characters) {
  EXPECT_TRUE(Run(CreateOrder{"rid-1", "c", "EUR"}, Context(std::string(64, 'r'))).ok());
  absl::StatusOr<CommandOutcome> too_long =
      Run(CreateOrder{"rid-2", "c", "EUR"}, Context(std::string(65, 'r')));
  EXPECT_EQ(too_long.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(too_long.status().message().substr(0, 11), "request_id:");
}

TEST_P(CommandHandlerTest, DatabaseDownIsUnavailableAndTheRetryIsSafe) {
  testing::TcpProxy proxy(database_->port());
  Writer writer(absl::StrCat("host=127.0.0.1 port=", proxy.port(),
                             " user=postgres dbname=", database_->name()),
                2, {}, GetParam());
  absl::StatusOr<CommandOutcome> created = writer.Run(CreateOrder{"down-1", "c", "EUR"}, Context());
  ASSERT_TRUE(created.ok()) << created.status();

  proxy.Cut();
  CommandContext context = Context("down-1-add");
  context.deadline = absl::Now() + absl::Seconds(5);
  const absl::Time start = absl::Now();
  absl::StatusOr<CommandOutcome> down = writer.Run(AddItem{"down-1", "sku", 1, 1}, context);
  EXPECT_EQ(down.status().code(), absl::StatusCode::kUnavailable) << down.status();
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  EXPECT_EQ(Count("stream_id = 'down-1'"), "1");

  proxy.Restore();
  absl::StatusOr<CommandOutcome> retried =
      writer.Run(AddItem{"down-1", "sku", 1, 1}, Context("down-1-add"));
  ASSERT_TRUE(retried.ok()) << retried.status();
  absl::StatusOr<CommandOutcome> repeated =
      writer.Run(AddItem{"down-1", "sku", 1, 1}, Context("down-1-add"));
  ASSERT_TRUE(repeated.ok()) << repeated.status();
  EXPECT_EQ(repeated->position, retried->position);
  EXPECT_EQ(Count("stream_id = 'down-1'"), "2");
}

// What only HandleAsync does.
class HandleAsyncTest : public CommandHandlerTest {};

// HandleAsync decides a cached aggregate's command on the calling thread and needs no
// worker for it; a command that must read its stream first waits for one.
TEST_P(HandleAsyncTest, WithEveryWorkerBusyOnlyACommandThatMustReadWaits) {
  ASSERT_TRUE(Run(CreateOrder{"busy-1", "cust-1", "EUR"}).ok());  // now cached
  Writer cold(database_->url(), 2, {}, GetParam());
  // Cached only in `cold`.
  ASSERT_TRUE(cold.Run(CreateOrder{"busy-2", "cust-1", "EUR"}, Context()).ok());
  WorkerPool one_worker(1);
  absl::Notification release;
  one_worker.Post([&release] { release.WaitForNotification(); });

  absl::Notification hot_answered, cold_answered;
  absl::StatusOr<CommandOutcome> hot, read;
  writer_.handler.HandleAsync(AddItem{"busy-1", "sku", 1, 100}, Context(), one_worker,
                              [&](absl::StatusOr<CommandOutcome> outcome) {
                                hot = std::move(outcome);
                                hot_answered.Notify();
                              });
  writer_.handler.HandleAsync(AddItem{"busy-2", "sku", 1, 100}, Context(), one_worker,
                              [&](absl::StatusOr<CommandOutcome> outcome) {
                                read = std::move(outcome);
                                cold_answered.Notify();
                              });
  ASSERT_TRUE(hot_answered.WaitForNotificationWithTimeout(absl::Seconds(10)));
  ASSERT_TRUE(hot.ok()) << hot.status();
  EXPECT_EQ(hot->version, 2);
  EXPECT_FALSE(cold_answered.HasBeenNotified());  // busy-2 is not cached here: it must read
  release.Notify();
  ASSERT_TRUE(cold_answered.WaitForNotificationWithTimeout(absl::Seconds(10)));
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->version, 2);
  EXPECT_EQ(Count("stream_id IN ('busy-1', 'busy-2')"), "4");
}

INSTANTIATE_TEST_SUITE_P(BothPaths, CommandHandlerTest,
                         ::testing::Values(testing::HandlerPath::kBlocking,
                                           testing::HandlerPath::kAsync),
                         [](const ::testing::TestParamInfo<testing::HandlerPath>& info) {
                           return info.param == testing::HandlerPath::kBlocking ? "Handle"
                                                                                : "HandleAsync";
                         });
INSTANTIATE_TEST_SUITE_P(AsyncPath, HandleAsyncTest,
                         ::testing::Values(testing::HandlerPath::kAsync));

}  // namespace
}  // namespace ordo::command
