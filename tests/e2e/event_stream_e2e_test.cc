// EventStreamService.Subscribe against a real ordo-query process (DESIGN §12): history then
// live, resuming from any token equals the uninterrupted sequence, filters, no event
// skipped under out-of-order commits, heartbeats that resume, the limit on concurrent
// subscriptions, and bad requests refused naming the field. Events are appended with SQL
// the way the store does, some in transactions that commit late.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <optional>
#include <pqxx/connection>
#include <pqxx/transaction>
#include <random>
#include <set>
#include <thread>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "ordo/v1/event_stream_service.grpc.pb.h"
#include "store/log/log_position.h"
#include "support/order_events.h"
#include "support/service_process.h"
#include "support/test_database.h"
#include "support/wait.h"

namespace ordo {
namespace {

using ordo::v1::SubscribeRequest;
using ordo::v1::SubscribeResponse;

// The database and ordo-query shared by the tests of this binary.
class EventStreamTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = new testing::TestDatabase();
    query_ = new testing::ServiceProcess(ORDO_QUERY_BINARY, db_->ServiceUrl({"ordo_query"}));
    // Most events fall out of its window: subscriptions read the database to catch up.
    small_window_ = new testing::ServiceProcess(ORDO_QUERY_BINARY, db_->ServiceUrl({"ordo_query"}),
                                                {"--subscription_window=16"});
  }
  static void TearDownTestSuite() {
    delete small_window_;
    delete query_;
    delete db_;
  }
  void SetUp() override {
    ASSERT_TRUE(query_->started());
    ASSERT_TRUE(small_window_->started());
    stub_ = ordo::v1::EventStreamService::NewStub(query_->channel());
    small_window_stub_ = ordo::v1::EventStreamService::NewStub(small_window_->channel());
  }

  // Appends `count` events to order stream `order_id` after `version`, one transaction.
  static void Append(const std::string& order_id, int after_version, int count) {
    pqxx::connection connection(db_->url());
    pqxx::work tx(connection);
    for (int v = after_version + 1; v <= after_version + count; ++v) {
      if (v == 1) {
        testing::InsertOrderEvent(tx, order_id, v, "OrderCreated",
                                  testing::CreatedPayload(order_id, "c-1"));
      } else {
        testing::InsertOrderEvent(
            tx, order_id, v, "OrderItemAdded",
            testing::ItemAddedPayload(order_id, absl::StrCat("sku-", v), 1, 100));
      }
    }
    tx.commit();
  }

  // Waits until every event appended so far can be tailed: no older transaction anywhere on
  // the server (another test binary's) holds one back. Until then a subscription's history
  // ends before them (they come later, live): nothing is skipped, but caught_up is earlier.
  static void WaitVisible() {
    ASSERT_TRUE(testing::WaitUntil(
        [] {
          return db_->Query(
                     "SELECT coalesce(bool_and(tx_id < ordo_visible_tx_floor()), true)"
                     " FROM events") == "t";
        },
        absl::Seconds(30)));
  }

  // Reads replies until `done` says so (true) or `timeout` passes (false); cancels the call.
  bool Read(const SubscribeRequest& request, std::vector<SubscribeResponse>& replies,
            const std::function<bool(const std::vector<SubscribeResponse>&)>& done,
            absl::Duration timeout = absl::Seconds(20), grpc::Status* status = nullptr,
            ordo::v1::EventStreamService::Stub* stub = nullptr) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    std::unique_ptr<grpc::ClientReader<SubscribeResponse>> reader =
        (stub != nullptr ? stub : stub_.get())->Subscribe(&context, request);
    SubscribeResponse reply;
    bool finished = false;
    while (reader->Read(&reply)) {
      replies.push_back(reply);
      if (done(replies)) {
        finished = true;
        context.TryCancel();
        break;
      }
    }
    grpc::Status end = reader->Finish();
    if (status != nullptr) *status = end;
    return finished;
  }

  static bool HasCaughtUp(const std::vector<SubscribeResponse>& replies) {
    return !replies.empty() && replies.back().has_caught_up();
  }

  // The events among `replies` of streams starting with `prefix`.
  static std::vector<ordo::v1::RecordedEvent> EventsOf(
      const std::vector<SubscribeResponse>& replies, const std::string& prefix = "") {
    std::vector<ordo::v1::RecordedEvent> events;
    for (const SubscribeResponse& r : replies) {
      if (r.has_event() && absl::StartsWith(r.event().stream_id(), prefix)) {
        events.push_back(r.event());
      }
    }
    return events;
  }

  // Tokens strictly increase: the log's order, nothing twice.
  static void ExpectLogOrder(const std::vector<ordo::v1::RecordedEvent>& events) {
    std::optional<store::LogPosition> last;
    for (const ordo::v1::RecordedEvent& e : events) {
      absl::StatusOr<store::LogPosition> p = store::DecodeConsistencyToken(e.token());
      ASSERT_TRUE(p.ok()) << e.token();
      if (last) {
        ASSERT_TRUE(*last < *p) << "out of order at " << e.stream_id() << "@" << e.version();
      }
      last = *p;
    }
  }

  static size_t CountEvents(const std::vector<SubscribeResponse>& replies,
                            const std::string& prefix) {
    return EventsOf(replies, prefix).size();
  }

  static testing::TestDatabase* db_;
  static testing::ServiceProcess* query_;
  static testing::ServiceProcess* small_window_;
  std::unique_ptr<ordo::v1::EventStreamService::Stub> stub_;
  std::unique_ptr<ordo::v1::EventStreamService::Stub> small_window_stub_;
};

testing::TestDatabase* EventStreamTest::db_ = nullptr;
testing::ServiceProcess* EventStreamTest::query_ = nullptr;
testing::ServiceProcess* EventStreamTest::small_window_ = nullptr;

TEST_F(EventStreamTest, HistoryThenCaughtUpThenLiveEvents) {
  for (int i = 0; i < 50; ++i) Append(absl::StrCat("live-", i), 0, 3);
  WaitVisible();
  SubscribeRequest request;
  request.add_stream_types("order");
  std::thread writer;
  std::vector<SubscribeResponse> replies;
  bool caught_up = false;
  ASSERT_TRUE(Read(request, replies, [&](const std::vector<SubscribeResponse>& r) {
    if (!caught_up && HasCaughtUp(r)) {
      caught_up = true;
      // History exhausted: now append live events.
      writer = std::thread([&] {
        for (int i = 0; i < 10; ++i) Append("live-new", i * 2, 2);
      });
    }
    return CountEvents(r, "live-new") == 20;
  })) << "live events did not all arrive";
  writer.join();
  const std::vector<ordo::v1::RecordedEvent> history = EventsOf(replies, "live-");
  ASSERT_EQ(history.size(), 170u);
  ExpectLogOrder(history);
  // The caught_up marker comes after all 150 older events and before the live ones.
  size_t caught_up_at = 0;
  for (size_t i = 0; i < replies.size(); ++i) {
    if (replies[i].has_caught_up()) caught_up_at = i;
  }
  EXPECT_EQ(CountEvents({replies.begin(), replies.begin() + caught_up_at}, "live-new"), 0u);
  EXPECT_EQ(CountEvents({replies.begin(), replies.begin() + caught_up_at}, "live-"), 150u);
  const ordo::v1::RecordedEvent& first = history.front();
  EXPECT_EQ(first.stream_type(), "order");
  EXPECT_EQ(first.event_type(), "OrderCreated");
  EXPECT_EQ(first.version(), 1);
  EXPECT_EQ(first.payload().fields().at("order_id").string_value(), first.stream_id());
}

TEST_F(EventStreamTest, ResumingFromAnyTokenEqualsTheUninterruptedSequence) {
  for (int i = 0; i < 30; ++i) Append(absl::StrCat("resume-", i), 0, 2);
  WaitVisible();
  SubscribeRequest all;
  std::vector<SubscribeResponse> replies;
  ASSERT_TRUE(Read(all, replies, HasCaughtUp));
  const std::vector<ordo::v1::RecordedEvent> whole = EventsOf(replies);
  ASSERT_GE(whole.size(), 60u);
  ExpectLogOrder(whole);
  // From memory (the default window) and from the database (a window of 16 events).
  for (auto* stub : {stub_.get(), small_window_stub_.get()}) {
    for (size_t k : {size_t{0}, whole.size() / 3, whole.size() / 2, whole.size() - 2}) {
      SubscribeRequest resume;
      resume.set_from_token(whole[k].token());
      std::vector<SubscribeResponse> rest;
      ASSERT_TRUE(Read(resume, rest, HasCaughtUp, absl::Seconds(20), nullptr, stub));
      const std::vector<ordo::v1::RecordedEvent> tail = EventsOf(rest);
      ASSERT_EQ(tail.size(), whole.size() - k - 1) << "resumed after event " << k;
      for (size_t i = 0; i < tail.size(); ++i) {
        ASSERT_EQ(tail[i].event_id(), whole[k + 1 + i].event_id()) << "resumed after " << k;
      }
    }
  }
  // From the caught_up token: only what comes after.
  SubscribeRequest after;
  after.set_from_token(replies.back().caught_up().token());
  Append("resume-after", 0, 2);
  std::vector<SubscribeResponse> next;
  ASSERT_TRUE(Read(after, next, [](const auto& r) { return CountEvents(r, "") >= 2; }));
  const std::vector<ordo::v1::RecordedEvent> fresh = EventsOf(next);
  EXPECT_EQ(fresh[0].stream_id(), "resume-after");
  EXPECT_EQ(fresh[0].version(), 1);
  EXPECT_EQ(fresh[1].version(), 2);
}

TEST_F(EventStreamTest, OutOfOrderCommitsSkipNoEvent) {
  SubscribeRequest request;
  request.set_from_token("end");
  request.add_stream_types("order");
  static constexpr int kWriters = 4;
  static constexpr int kPerWriter = 60;
  std::atomic<int> held{0};
  std::vector<std::thread> writers;
  std::vector<SubscribeResponse> replies;
  // Beside it, a subscription whose window holds 16 events: it reads the database whenever
  // it falls behind, while the commits come out of order.
  std::vector<SubscribeResponse> small_replies;
  std::atomic<bool> small_done{false};
  std::thread small_reader;
  bool started = false;
  ASSERT_TRUE(Read(
      request, replies,
      [&](const std::vector<SubscribeResponse>& r) {
        if (!started && HasCaughtUp(r)) {
          started = true;
          SubscribeRequest small_request = request;
          small_request.set_from_token(r.back().caught_up().token());
          small_reader = std::thread([&, small_request] {
            small_done = Read(
                small_request, small_replies,
                [&](const auto& sr) { return CountEvents(sr, "ooo-") == kWriters * kPerWriter; },
                absl::Seconds(60), nullptr, small_window_stub_.get());
          });
          for (int w = 0; w < kWriters; ++w) {
            writers.emplace_back([w, &held] {
              std::mt19937 rng(w);
              pqxx::connection connection(db_->url());
              for (int i = 0; i < kPerWriter; ++i) {
                const std::string order = absl::StrCat("ooo-", w, "-", i);
                pqxx::work tx(connection);
                testing::InsertOrderEvent(tx, order, 1, "OrderCreated",
                                          testing::CreatedPayload(order, "c-1"));
                if (rng() % 4 == 0) {
                  // The position is taken now; the commit comes late, after later ones.
                  ++held;
                  std::this_thread::sleep_for(std::chrono::milliseconds(30 + rng() % 120));
                }
                tx.commit();
              }
            });
          }
        }
        return CountEvents(r, "ooo-") == kWriters * kPerWriter;
      },
      absl::Seconds(60)))
      << "events were skipped: " << CountEvents(replies, "ooo-");
  for (std::thread& t : writers) t.join();
  small_reader.join();
  EXPECT_GT(held.load(), 10);
  ASSERT_TRUE(small_done) << "the small-window subscription skipped events: "
                          << CountEvents(small_replies, "ooo-");
  const std::vector<ordo::v1::RecordedEvent> small_events = EventsOf(small_replies, "ooo-");
  for (size_t i = 0; i < small_events.size(); ++i) {
    ASSERT_EQ(small_events[i].event_id(), EventsOf(replies, "ooo-")[i].event_id()) << i;
  }
  const std::vector<ordo::v1::RecordedEvent> events = EventsOf(replies, "ooo-");
  ExpectLogOrder(events);
  std::set<std::string> ids;
  for (const auto& e : events) ids.insert(e.event_id());
  EXPECT_EQ(ids.size(), events.size());
  EXPECT_EQ(db_->Query("SELECT count(*) FROM events WHERE stream_id LIKE 'ooo-%'"),
            std::to_string(kWriters * kPerWriter));
}

TEST_F(EventStreamTest, FromTheEndCaughtUpComesFirstWhileEventsArrive) {
  // A writer commits one event after another while subscriptions from "end" start: each
  // gets caught_up first (there is no history), then only events after its token.
  std::atomic<bool> stop{false};
  std::thread writer([&stop] {
    for (int n = 0; !stop; ++n) Append(absl::StrCat("from-end-", n), 0, 1);
  });
  absl::Cleanup stop_writer = [&] {  // also when an assertion below ends the test
    stop = true;
    writer.join();
  };
  SubscribeRequest request;
  request.set_from_token("end");
  request.add_stream_types("order");
  for (int k = 0; k < 20; ++k) {
    std::vector<SubscribeResponse> replies;
    ASSERT_TRUE(
        Read(request, replies, [](const auto& r) { return CountEvents(r, "from-end-") >= 2; }))
        << "subscription " << k << ": " << replies.size() << " replies";
    ASSERT_TRUE(replies.front().has_caught_up())
        << "subscription " << k << " began with " << replies.front().ShortDebugString();
    absl::StatusOr<store::LogPosition> caught_up =
        store::DecodeConsistencyToken(replies.front().caught_up().token());
    ASSERT_TRUE(caught_up.ok());
    for (const ordo::v1::RecordedEvent& e : EventsOf(replies)) {
      absl::StatusOr<store::LogPosition> p = store::DecodeConsistencyToken(e.token());
      ASSERT_TRUE(p.ok());
      EXPECT_TRUE(*caught_up < *p) << e.stream_id();
    }
  }
}

TEST_F(EventStreamTest, FiltersByEventTypeStreamTypeAndStream) {
  Append("filter-a", 0, 3);
  Append("filter-b", 0, 2);
  WaitVisible();
  SubscribeRequest created;
  created.add_event_types("OrderCreated");
  std::vector<SubscribeResponse> replies;
  ASSERT_TRUE(Read(created, replies, HasCaughtUp));
  std::vector<ordo::v1::RecordedEvent> events = EventsOf(replies, "filter-");
  ASSERT_EQ(events.size(), 2u);
  for (const auto& e : EventsOf(replies)) EXPECT_EQ(e.event_type(), "OrderCreated");

  SubscribeRequest one_stream;
  one_stream.set_stream_id("filter-a");
  replies.clear();
  ASSERT_TRUE(Read(one_stream, replies, HasCaughtUp));
  events = EventsOf(replies);
  ASSERT_EQ(events.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(events[i].stream_id(), "filter-a");
    EXPECT_EQ(events[i].version(), i + 1);
  }

  SubscribeRequest other_type;
  other_type.add_stream_types("inventory");
  replies.clear();
  ASSERT_TRUE(Read(other_type, replies, HasCaughtUp));
  EXPECT_TRUE(EventsOf(replies).empty());
}

TEST_F(EventStreamTest, HeartbeatsCarryATokenToResumeFrom) {
  SubscribeRequest request;
  request.set_from_token("end");
  request.set_stream_id("beat-1");
  request.set_heartbeat_ms(100);
  std::vector<SubscribeResponse> replies;
  ASSERT_TRUE(Read(
      request, replies,
      [](const std::vector<SubscribeResponse>& r) {
        return r.size() >= 3 && r.back().has_heartbeat();
      },
      absl::Seconds(5)));
  const std::string token = replies.back().heartbeat().token();
  Append("beat-1", 0, 2);
  SubscribeRequest resume;
  resume.set_from_token(token);
  resume.set_stream_id("beat-1");
  std::vector<SubscribeResponse> next;
  ASSERT_TRUE(Read(resume, next, [](const auto& r) { return CountEvents(r, "beat-1") == 2; }));
  const std::vector<ordo::v1::RecordedEvent> events = EventsOf(next);
  EXPECT_EQ(events[0].version(), 1);
  EXPECT_EQ(events[1].version(), 2);
}

TEST_F(EventStreamTest, RefusesBadRequestsNamingTheField) {
  auto refused = [&](const SubscribeRequest& request) {
    std::vector<SubscribeResponse> replies;
    grpc::Status status;
    Read(
        request, replies, [](const auto&) { return true; }, absl::Seconds(5), &status);
    EXPECT_TRUE(replies.empty());
    return status;
  };
  SubscribeRequest bad_token;
  bad_token.set_from_token("not-a-token");
  grpc::Status status = refused(bad_token);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(status.error_message(), "from_token:")) << status.error_message();

  SubscribeRequest bad_heartbeat;
  bad_heartbeat.set_heartbeat_ms(50);
  status = refused(bad_heartbeat);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(status.error_message(), "heartbeat_ms:")) << status.error_message();

  SubscribeRequest empty_type;
  empty_type.add_event_types("OrderCreated");
  empty_type.add_event_types("");
  status = refused(empty_type);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(status.error_message(), "event_types[1]:"))
      << status.error_message();
}

TEST_F(EventStreamTest, RefusesSubscriptionsBeyondTheLimit) {
  testing::ServiceProcess limited(ORDO_QUERY_BINARY, db_->ServiceUrl({"ordo_query"}),
                                  {"--max_subscriptions=2"});
  ASSERT_TRUE(limited.started());
  auto stub = ordo::v1::EventStreamService::NewStub(limited.channel());
  SubscribeRequest request;
  request.set_from_token("end");
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<grpc::ClientReader<SubscribeResponse>>> readers;
  SubscribeResponse reply;
  for (int i = 0; i < 2; ++i) {
    contexts.push_back(std::make_unique<grpc::ClientContext>());
    readers.push_back(stub->Subscribe(contexts.back().get(), request));
    ASSERT_TRUE(readers.back()->Read(&reply));  // caught_up: the call is running
    EXPECT_TRUE(reply.has_caught_up());
  }
  {
    grpc::ClientContext context;
    auto third = stub->Subscribe(&context, request);
    EXPECT_FALSE(third->Read(&reply));
    EXPECT_EQ(third->Finish().error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  }
  contexts[0]->TryCancel();
  readers[0]->Finish();
  // The slot is free again once the server has seen the cancel.
  bool accepted = false;
  for (int attempt = 0; attempt < 100 && !accepted; ++attempt) {
    grpc::ClientContext context;
    auto again = stub->Subscribe(&context, request);
    accepted = again->Read(&reply);
    context.TryCancel();
    again->Finish();
    if (!accepted) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(accepted);
  contexts[1]->TryCancel();
  readers[1]->Finish();
}

}  // namespace
}  // namespace ordo
