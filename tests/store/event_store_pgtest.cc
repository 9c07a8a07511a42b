// Event store against a real PostgreSQL: round trips, optimistic concurrency, request
// records, and the immutability of the events table.
#include <gtest/gtest.h>

#include <atomic>
#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/transaction>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "store/log/event_store.h"
#include "store/pg/connection_pool.h"
#include "support/test_database.h"

namespace ordo::store {
namespace {

class EventStoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { database_ = new testing::TestDatabase(); }
  static void TearDownTestSuite() { delete database_; }

  absl::Time Deadline() { return absl::Now() + absl::Seconds(10); }

  AppendRequest Request(const std::string& stream, int32_t expected, int events) {
    AppendRequest request;
    request.stream_id = stream;
    request.stream_type = "test";
    request.expected_version = expected;
    for (int i = 0; i < events; ++i) {
      request.events.push_back(
          NewEvent{"Happened", 1, "{\"n\": " + std::to_string(expected + i + 1) + "}"});
    }
    request.metadata_json = R"({"request_id": "r"})";
    return request;
  }

  // A new stream's first event, recorded under `request_id`.
  AppendRequest Keyed(const std::string& stream, const std::string& request_id) {
    AppendRequest request = Request(stream, 0, 1);
    request.request = RequestKey{request_id, "fp"};
    return request;
  }

  static testing::TestDatabase* database_;
  ConnectionPool pool_{{database_->url(), 4}};
  EventStore store_{pool_};
};
testing::TestDatabase* EventStoreTest::database_ = nullptr;

TEST_F(EventStoreTest, AppendThenReadRoundTrips) {
  absl::StatusOr<AppendResult> first = store_.Append(Request("rt-1", 0, 2), Deadline());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->version, 2);
  absl::StatusOr<AppendResult> second = store_.Append(Request("rt-1", 2, 1), Deadline());
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->version, 3);
  EXPECT_LT(first->position, second->position);

  absl::StatusOr<std::vector<RecordedEvent>> events = store_.ReadStream("rt-1", 1, Deadline());
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 3u);
  for (int i = 0; i < 3; ++i) {
    const RecordedEvent& e = (*events)[i];
    EXPECT_EQ(e.version, i + 1);
    EXPECT_EQ(e.stream_id, "rt-1");
    EXPECT_EQ(e.stream_type, "test");
    EXPECT_EQ(e.event_type, "Happened");
    EXPECT_EQ(e.schema_version, 1);
    EXPECT_EQ(e.payload_json, "{\"n\": " + std::to_string(i + 1) + "}");
    EXPECT_EQ(e.metadata_json, R"({"request_id": "r"})");
    EXPECT_EQ(e.event_id.size(), 36u);
    EXPECT_LT(absl::Now() - e.recorded_at, absl::Minutes(5));
  }
  EXPECT_EQ((*events)[2].position, second->position);
  // Both events of the first append share its transaction.
  EXPECT_EQ((*events)[0].position.tx_id, (*events)[1].position.tx_id);

  absl::StatusOr<std::vector<RecordedEvent>> tail = store_.ReadStream("rt-1", 3, Deadline());
  ASSERT_TRUE(tail.ok());
  ASSERT_EQ(tail->size(), 1u);
  EXPECT_EQ((*tail)[0].version, 3);
}

TEST_F(EventStoreTest, ReadingAnUnknownStreamGivesNoEvents) {
  absl::StatusOr<std::vector<RecordedEvent>> events = store_.ReadStream("nope", 1, Deadline());
  ASSERT_TRUE(events.ok());
  EXPECT_TRUE(events->empty());
}

TEST_F(EventStoreTest, StaleExpectedVersionIsAbortedAndWritesNothing) {
  ASSERT_TRUE(store_.Append(Request("cf-1", 0, 1), Deadline()).ok());
  ASSERT_TRUE(store_.Append(Request("cf-1", 1, 1), Deadline()).ok());
  absl::StatusOr<AppendResult> stale = store_.Append(Request("cf-1", 1, 2), Deadline());
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted) << stale.status();
  EXPECT_EQ(store_.ReadStream("cf-1", 1, Deadline())->size(), 2u);
}

TEST_F(EventStoreTest, CreatingAnExistingStreamIsAborted) {
  ASSERT_TRUE(store_.Append(Request("cf-2", 0, 1), Deadline()).ok());
  EXPECT_EQ(store_.Append(Request("cf-2", 0, 1), Deadline()).status().code(),
            absl::StatusCode::kAborted);
}

TEST_F(EventStoreTest, ExpectedVersionAheadOfTheStreamCannotLeaveAGap) {
  ASSERT_TRUE(store_.Append(Request("gap-1", 0, 1), Deadline()).ok());
  absl::StatusOr<AppendResult> ahead = store_.Append(Request("gap-1", 3, 1), Deadline());
  EXPECT_EQ(ahead.status().code(), absl::StatusCode::kAborted) << ahead.status();
  EXPECT_EQ(store_.ReadStream("gap-1", 1, Deadline())->size(), 1u);
}

TEST_F(EventStoreTest, RecordsTheRequestWithItsOutcome) {
  AppendRequest request = Request("rq-1", 0, 1);
  request.request = RequestKey{"req-rq-1", "fp-1"};
  absl::StatusOr<AppendResult> appended = store_.Append(request, Deadline());
  ASSERT_TRUE(appended.ok()) << appended.status();
  absl::StatusOr<RecordedRequest> found = store_.FindRequest("req-rq-1", Deadline());
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->fingerprint, "fp-1");
  EXPECT_EQ(found->result.stream_id, "rq-1");
  EXPECT_EQ(found->result.version, 1);
  EXPECT_EQ(found->result.position, appended->position);
  EXPECT_EQ(store_.FindRequest("req-unknown", Deadline()).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(EventStoreTest, ARecordedRequestIdRollsBackTheWholeAppend) {
  ASSERT_TRUE(store_.Append(Keyed("rq-2", "req-rq-2"), Deadline()).ok());
  EXPECT_EQ(store_.Append(Keyed("rq-3", "req-rq-2"), Deadline()).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE(store_.ReadStream("rq-3", 1, Deadline())->empty());
}

TEST_F(EventStoreTest, ABatchGivesEachAppendItsOwnOutcomeInOneTransaction) {
  ASSERT_TRUE(store_.Append(Request("b-old", 0, 2), Deadline()).ok());
  ASSERT_TRUE(store_.Append(Request("b-stale", 0, 3), Deadline()).ok());
  AppendRequest created = Request("b-new", 0, 2);
  created.request = RequestKey{"req-b-new", "fp-b"};
  const AppendRequest next = Request("b-old", 2, 1);
  const AppendRequest stale = Request("b-stale", 1, 1);
  const AppendRequest ahead = Request("b-ahead", 4, 1);
  std::vector<absl::StatusOr<AppendResult>> results =
      store_.AppendBatch({&created, &next, &stale, &ahead}, Deadline());

  ASSERT_EQ(results.size(), 4u);
  ASSERT_TRUE(results[0].ok()) << results[0].status();
  ASSERT_TRUE(results[1].ok()) << results[1].status();
  EXPECT_EQ(results[0]->stream_id, "b-new");
  EXPECT_EQ(results[0]->version, 2);
  EXPECT_EQ(results[1]->stream_id, "b-old");
  EXPECT_EQ(results[1]->version, 3);
  EXPECT_EQ(results[2].status().code(), absl::StatusCode::kAborted) << results[2].status();
  EXPECT_EQ(results[3].status().code(), absl::StatusCode::kAborted) << results[3].status();
  // One commit: the appended events share a transaction, in the order of the batch.
  EXPECT_EQ(results[0]->position.tx_id, results[1]->position.tx_id);
  EXPECT_LT(results[0]->position, results[1]->position);
  EXPECT_EQ(store_.ReadStream("b-new", 1, Deadline())->size(), 2u);
  EXPECT_EQ((*store_.ReadStream("b-old", 3, Deadline()))[0].payload_json, "{\"n\": 3}");
  EXPECT_EQ(store_.ReadStream("b-stale", 1, Deadline())->size(), 3u);
  EXPECT_TRUE(store_.ReadStream("b-ahead", 1, Deadline())->empty());
  absl::StatusOr<RecordedRequest> found = store_.FindRequest("req-b-new", Deadline());
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->result.position, results[0]->position);
}

TEST_F(EventStoreTest, ABatchThatFailsAsAWholeRunsEachAppendAlone) {
  ASSERT_TRUE(store_.Append(Keyed("bf-1", "req-bf"), Deadline()).ok());
  // The repeated request_id fails the batch's statement; the other append still lands.
  const AppendRequest repeat = Keyed("bf-2", "req-bf");
  const AppendRequest other = Request("bf-3", 0, 1);
  std::vector<absl::StatusOr<AppendResult>> results =
      store_.AppendBatch({&repeat, &other}, Deadline());
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].status().code(), absl::StatusCode::kAlreadyExists) << results[0].status();
  ASSERT_TRUE(results[1].ok()) << results[1].status();
  EXPECT_TRUE(store_.ReadStream("bf-2", 1, Deadline())->empty());
  EXPECT_EQ(store_.ReadStream("bf-3", 1, Deadline())->size(), 1u);
}

TEST_F(EventStoreTest, ABatchRefusesAStreamTwiceAndWritesNothing) {
  const AppendRequest one = Request("bt-1", 0, 1);
  const AppendRequest two = Request("bt-1", 1, 1);
  std::vector<absl::StatusOr<AppendResult>> results = store_.AppendBatch({&one, &two}, Deadline());
  ASSERT_EQ(results.size(), 2u);
  for (const auto& result : results) {
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << result.status();
  }
  EXPECT_TRUE(store_.ReadStream("bt-1", 1, Deadline())->empty());
}

TEST_F(EventStoreTest, GroupCommitSharesCommitsBetweenConcurrentAppenders) {
  ConnectionPool pool({database_->url(), 4});
  EventStore store(pool, {NotifyMode::kOff, nullptr, /*max_group_commit=*/64});
  constexpr int kThreads = 16, kAppends = 20;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int v = 0; v < kAppends; ++v) {
        AppendRequest request = Request("gc-" + std::to_string(t), v, 1);
        request.request = RequestKey{"req-gc-" + std::to_string(t) + "-" + std::to_string(v), "fp"};
        absl::StatusOr<AppendResult> result = store.Append(request, Deadline());
        if (!result.ok() || result->version != v + 1) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(database_->Query("SELECT count(*) FROM events WHERE stream_id LIKE 'gc-%'"),
            std::to_string(kThreads * kAppends));
  EXPECT_EQ(database_->Query("SELECT count(*) FROM command_requests WHERE request_id LIKE "
                             "'req-gc-%'"),
            std::to_string(kThreads * kAppends));
  // Every stream has versions 1..kAppends with no gap.
  EXPECT_EQ(database_->Query("SELECT count(*) FROM (SELECT stream_id FROM events WHERE stream_id "
                             "LIKE 'gc-%' GROUP BY stream_id HAVING max(version) = " +
                             std::to_string(kAppends) +
                             " AND count(*) = " + std::to_string(kAppends) + ") s"),
            std::to_string(kThreads));
  // Appends waiting behind a commit went in together: fewer transactions than appends.
  const int transactions = std::stoi(
      database_->Query("SELECT count(DISTINCT tx_id) FROM events WHERE stream_id LIKE 'gc-%'"));
  EXPECT_LT(transactions, kThreads * kAppends);
}

TEST_F(EventStoreTest, RefusesAnEmptyAppend) {
  EXPECT_EQ(store_.Append(Request("empty", 0, 0), Deadline()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(EventStoreTest, EventsCannotBeUpdatedDeletedOrTruncated) {
  ASSERT_TRUE(store_.Append(Request("imm-1", 0, 1), Deadline()).ok());
  for (const char* sql : {"UPDATE events SET payload = '{}' WHERE stream_id = 'imm-1'",
                          "DELETE FROM events WHERE stream_id = 'imm-1'", "TRUNCATE events"}) {
    pqxx::connection connection(database_->url());
    pqxx::work tx(connection);
    try {
      tx.exec(sql);
      ADD_FAILURE() << "not refused: " << sql;
    } catch (const pqxx::sql_error& e) {
      EXPECT_NE(std::string(e.what()).find("events are immutable"), std::string::npos) << e.what();
    }
  }
  absl::StatusOr<std::vector<RecordedEvent>> events = store_.ReadStream("imm-1", 1, Deadline());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].payload_json, "{\"n\": 1}");
}

TEST_F(EventStoreTest, UnreachableDatabaseIsUnavailableWithinTheDeadline) {
  ConnectionPool nowhere({"host=127.0.0.1 port=1 user=postgres dbname=none", 2});
  EventStore store(nowhere);
  const absl::Time start = absl::Now();
  absl::StatusOr<AppendResult> result = store.Append(Request("x", 0, 1), Deadline());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable) << result.status();
  EXPECT_EQ(store.ReadStream("x", 1, Deadline()).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
}

TEST_F(EventStoreTest, CheckReadyNeedsTheMigratedTables) {
  EXPECT_TRUE(store_.CheckReady(Deadline()).ok());
  testing::TestDatabase bare(/*migrate=*/false);
  ConnectionPool pool({bare.url(), 1});
  EventStore store(pool);
  EXPECT_EQ(store.CheckReady(Deadline()).code(), absl::StatusCode::kFailedPrecondition);
}

// DESIGN §14: a runtime session that sits idle inside a transaction is ended by the server.
TEST_F(EventStoreTest, RuntimeSessionsEndTransactionsLeftIdle) {
  absl::StatusOr<ConnectionPool::Lease> lease = pool_.Acquire(absl::Now() + absl::Seconds(5));
  ASSERT_TRUE(lease.ok()) << lease.status();
  pqxx::nontransaction tx(**lease);
  EXPECT_EQ(tx.exec1("SHOW idle_in_transaction_session_timeout")[0].as<std::string>(), "1min");
}

}  // namespace
}  // namespace ordo::store
