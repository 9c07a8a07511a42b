// ordo-relay against a real PostgreSQL and a real, private RabbitMQ broker (DESIGN §12):
// the message of an event (routing key, properties, headers, body), the event-type filter,
// one active relay per name with a standby taking over, and chaos: 20,000 events appended by
// concurrent writers, some committing late, while the relay is killed (-9) twice and the broker
// killed (-9) and restarted once. A consumer then sees every event at least once, each stream's
// versions 1, 2, 3, ... after dropping duplicates by message id, and the relay's checkpoint ends at
// the log's head.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <atomic>
#include <map>
#include <memory>
#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>
#include <random>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "relay/amqp_connection.h"
#include "support/child_process.h"
#include "support/order_events.h"
#include "support/test_broker.h"
#include "support/test_database.h"
#include "support/wait.h"

namespace ordo {
namespace {

using relay::AmqpConnection;
using relay::Delivery;

std::unique_ptr<testing::ChildProcess> StartRelay(const testing::TestDatabase& db,
                                                  const testing::TestBroker& broker,
                                                  const std::vector<std::string>& extra = {}) {
  std::vector<std::string> argv = {ORDO_RELAY_BINARY,
                                   "--database_url=" + db.ServiceUrl({"ordo_relay"}),
                                   "--amqp_url=" + broker.url()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  auto relay = std::make_unique<testing::ChildProcess>(argv);
  EXPECT_TRUE(relay->WaitForOutput("active", absl::Seconds(20))) << relay->Output();
  return relay;
}

std::unique_ptr<AmqpConnection> Connect(const testing::TestBroker& broker) {
  absl::StatusOr<std::unique_ptr<AmqpConnection>> c =
      AmqpConnection::Open(broker.url(), absl::Seconds(5));
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() ? *std::move(c) : nullptr;
}

// A durable queue bound to `exchange` with `binding_key`, declared before anything is
// published to it.
void BindQueue(const testing::TestBroker& broker, const std::string& exchange,
               const std::string& queue, const std::string& binding_key) {
  std::unique_ptr<AmqpConnection> c = Connect(broker);
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->DeclareExchange(exchange, "topic").ok());
  ASSERT_TRUE(c->DeclareQueue(queue).ok());
  ASSERT_TRUE(c->BindQueue(queue, exchange, binding_key).ok());
}

// Every message in `queue`, acked, until `distinct` different message ids came (when
// given) or none came for `idle`. A broker that recovers a large queue from disk after a
// restart may pause for seconds between deliveries.
std::vector<Delivery> Drain(const testing::TestBroker& broker, const std::string& queue,
                            absl::Duration idle = absl::Seconds(2), size_t distinct = 0) {
  std::vector<Delivery> deliveries;
  std::set<std::string> ids;
  std::unique_ptr<AmqpConnection> c = Connect(broker);
  if (c == nullptr || !c->Consume(queue, 1000).ok()) return deliveries;
  while (distinct == 0 || ids.size() < distinct) {
    absl::StatusOr<std::optional<Delivery>> d = c->NextDelivery(idle);
    if (!d.ok() || !d->has_value()) break;
    EXPECT_TRUE(c->Ack((*d)->delivery_tag).ok());
    ids.insert((*d)->message_id);
    deliveries.push_back(**std::move(d));
  }
  return deliveries;
}

int64_t RelayCheckpoint(const testing::TestDatabase& db, const std::string& name) {
  const std::string position =
      db.Query("SELECT global_position FROM projection_checkpoints WHERE name = '" + name + "'");
  return position.empty() ? -1 : std::stoll(position);
}

class RelayTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { broker_ = new testing::TestBroker(); }
  static void TearDownTestSuite() { delete broker_; }
  void SetUp() override { ASSERT_TRUE(broker_->started()); }

  testing::TestDatabase db_;
  static testing::TestBroker* broker_;
};

testing::TestBroker* RelayTest::broker_ = nullptr;

TEST_F(RelayTest, AConsumerWhoseQueueIsDeletedIsToldSo) {
  // Without consumer_cancel_notify the broker drops the consumer silently, and it would
  // wait for deliveries forever; with it, NextDelivery says the consumer is gone.
  std::unique_ptr<AmqpConnection> consumer = Connect(*broker_);
  ASSERT_NE(consumer, nullptr);
  ASSERT_TRUE(consumer->DeclareQueue("cancelled-consumer").ok());
  ASSERT_TRUE(consumer->Consume("cancelled-consumer", 10).ok());
  std::unique_ptr<AmqpConnection> admin = Connect(*broker_);
  ASSERT_NE(admin, nullptr);
  ASSERT_TRUE(admin->DeleteQueue("cancelled-consumer").ok());
  absl::Status ended;
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        absl::StatusOr<std::optional<Delivery>> d = consumer->NextDelivery(absl::Milliseconds(200));
        EXPECT_TRUE(!d.ok() || !d->has_value()) << "a delivery from a deleted queue";
        ended = d.status();
        return !d.ok();
      },
      absl::Seconds(10)));
  EXPECT_TRUE(absl::IsUnavailable(ended)) << ended;
  EXPECT_TRUE(absl::StrContains(ended.message(), "cancelled the consumer")) << ended;
}

TEST_F(RelayTest, PublishesEachEventWithItsRoutingKeyHeadersAndBody) {
  BindQueue(*broker_, "shape.events", "shape.orders", "order.*");
  {
    pqxx::connection connection(db_.url());
    pqxx::work tx(connection);
    tx.exec_params(
        "INSERT INTO events (stream_id, stream_type, version, event_id, event_type, "
        "schema_version, payload, metadata) VALUES ('shape-1', 'order', 1, gen_random_uuid(), "
        "'OrderCreated', 1, $1::jsonb, '{\"correlation_id\":\"corr-1\",\"causation_id\":"
        "\"cause-1\",\"traceparent\":\"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\","
        "\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\"}')",
        testing::CreatedPayload("shape-1", "c-7"));
    testing::InsertOrderEvent(tx, "shape-1", 2, "OrderItemAdded",
                              testing::ItemAddedPayload("shape-1", "sku-1", 2, 250));
    tx.commit();
  }
  auto relay = StartRelay(db_, *broker_, {"--exchange=shape.events"});
  ASSERT_TRUE(testing::WaitUntil([&] { return testing::ProjectionCaughtUp(db_.url(), "relay"); },
                                 absl::Seconds(20)))
      << relay->Output();
  std::vector<Delivery> got = Drain(*broker_, "shape.orders");
  ASSERT_EQ(got.size(), 2u);
  const Delivery& created = got[0];
  const std::string event_id =
      db_.Query("SELECT event_id FROM events WHERE stream_id = 'shape-1' AND version = 1");
  EXPECT_EQ(created.routing_key, "order.OrderCreated");
  EXPECT_EQ(created.message_id, event_id);
  EXPECT_EQ(created.type, "OrderCreated");
  EXPECT_EQ(created.content_type, "application/json");
  EXPECT_EQ(created.headers.at("stream_id"), "shape-1");
  EXPECT_EQ(created.headers.at("version"), "1");
  EXPECT_EQ(created.headers.at("schema_version"), "2");  // lifted from the stored version 1
  EXPECT_EQ(created.headers.at("correlation_id"), "corr-1");
  EXPECT_EQ(created.headers.at("causation_id"), "cause-1");
  EXPECT_EQ(created.headers.at("traceparent"),
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  EXPECT_FALSE(created.headers.at("token").empty());
  EXPECT_EQ(got[1].routing_key, "order.OrderItemAdded");
  EXPECT_EQ(got[1].headers.at("version"), "2");
  EXPECT_EQ(got[1].headers.count("traceparent"), 0u);  // its event has none

  simdjson::dom::parser parser;
  simdjson::dom::element body = parser.parse(created.body);
  EXPECT_EQ(std::string_view(body["event_id"]), event_id);
  EXPECT_EQ(std::string_view(body["stream_id"]), "shape-1");
  EXPECT_EQ(std::string_view(body["stream_type"]), "order");
  EXPECT_EQ(int64_t(body["version"]), 1);
  EXPECT_EQ(std::string_view(body["event_type"]), "OrderCreated");
  EXPECT_EQ(int64_t(body["schema_version"]), 2);
  EXPECT_EQ(std::string_view(body["token"]), created.headers.at("token"));
  EXPECT_FALSE(std::string_view(body["recorded_at"]).empty());
  // The payload in its current shape: the customer as an object (version 2).
  EXPECT_EQ(std::string_view(body["payload"]["customer"]["id"]), "c-7");
  EXPECT_EQ(std::string_view(body["metadata"]["correlation_id"]), "corr-1");
  relay->Signal(SIGTERM);
  EXPECT_EQ(relay->WaitForExit(absl::Seconds(10)), 0);
}

TEST_F(RelayTest, PublishesOnlyTheEventTypesAskedFor) {
  BindQueue(*broker_, "filter.events", "filter.all", "#");
  {
    pqxx::connection connection(db_.url());
    pqxx::work tx(connection);
    for (int i = 0; i < 5; ++i) {
      const std::string order = absl::StrCat("only-", i);
      testing::InsertOrderEvent(tx, order, 1, "OrderCreated",
                                testing::CreatedPayload(order, "c-1"));
      testing::InsertOrderEvent(tx, order, 2, "OrderItemAdded",
                                testing::ItemAddedPayload(order, "sku-1", 1, 100));
    }
    tx.commit();
  }
  auto relay = StartRelay(
      db_, *broker_,
      {"--exchange=filter.events", "--event_types=OrderItemAdded", "--name=relay-items"});
  ASSERT_TRUE(testing::WaitUntil(
      [&] { return testing::ProjectionCaughtUp(db_.url(), "relay-items"); }, absl::Seconds(20)))
      << relay->Output();
  std::vector<Delivery> got = Drain(*broker_, "filter.all");
  ASSERT_EQ(got.size(), 5u);
  for (const Delivery& d : got) EXPECT_EQ(d.type, "OrderItemAdded");
}

TEST_F(RelayTest, OneRelayIsActiveAndAStandbyTakesOverWhenItDies) {
  BindQueue(*broker_, "standby.events", "standby.all", "#");
  const std::vector<std::string> flags = {"--exchange=standby.events", "--name=relay-standby"};
  auto first = StartRelay(db_, *broker_, flags);
  auto second = std::make_unique<testing::ChildProcess>(std::vector<std::string>{
      ORDO_RELAY_BINARY, "--database_url=" + db_.ServiceUrl({"ordo_relay"}),
      "--amqp_url=" + broker_->url(), flags[0], flags[1]});
  ASSERT_TRUE(second->WaitForOutput("ordo-relay running", absl::Seconds(10)));
  auto append = [&](const std::string& order) {
    pqxx::connection connection(db_.url());
    pqxx::work tx(connection);
    testing::InsertOrderEvent(tx, order, 1, "OrderCreated", testing::CreatedPayload(order, "c"));
    tx.commit();
  };
  append("standby-1");
  ASSERT_TRUE(testing::WaitUntil(
      [&] { return testing::ProjectionCaughtUp(db_.url(), "relay-standby"); }, absl::Seconds(20)));
  EXPECT_EQ(second->Output().find("active"), std::string::npos) << "two relays were active";
  first->Signal(SIGKILL);
  first->WaitForExit(absl::Seconds(5));
  ASSERT_TRUE(second->WaitForOutput("subscriber relay-standby: active", absl::Seconds(20)));
  append("standby-2");
  ASSERT_TRUE(testing::WaitUntil(
      [&] { return testing::ProjectionCaughtUp(db_.url(), "relay-standby"); }, absl::Seconds(20)));
  std::vector<Delivery> got = Drain(*broker_, "standby.all");
  std::set<std::string> streams;
  for (const Delivery& d : got) streams.insert(d.headers.at("stream_id"));
  EXPECT_EQ(streams, (std::set<std::string>{"standby-1", "standby-2"}));
}

TEST_F(RelayTest, ChaosEveryEventArrivesInStreamOrderAndTheCheckpointEndsAtTheHead) {
  constexpr int kWriters = 4;
  constexpr int kEventsPerWriter = 5000;
  BindQueue(*broker_, "ordo.events", "chaos.all", "#");
  auto relay = StartRelay(db_, *broker_, {"--batch_size=500"});

  std::atomic<int> appended{0};
  std::atomic<int> held{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      std::mt19937 rng(w);
      pqxx::connection connection(db_.url());
      std::map<std::string, int> versions;
      int written = 0;
      while (written < kEventsPerWriter) {
        pqxx::work tx(connection);
        const int in_tx = std::min(kEventsPerWriter - written, 1 + static_cast<int>(rng() % 20));
        for (int i = 0; i < in_tx; ++i) {
          const std::string order = absl::StrCat("chaos-", w, "-", rng() % 100);
          const int version = ++versions[order];
          testing::InsertOrderEvent(
              tx, order, version, "OrderItemAdded",
              testing::ItemAddedPayload(order, absl::StrCat("sku-", version), 1, 100));
        }
        if (rng() % 10 == 0) {  // a late commit: later positions commit first
          ++held;
          std::this_thread::sleep_for(std::chrono::milliseconds(5 + rng() % 40));
        }
        tx.commit();
        written += in_tx;
        appended += in_tx;
        // Spread the writes over the chaos below.
        if (rng() % 4 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    });
  }
  const int total = kWriters * kEventsPerWriter;
  auto relayed_at_least = [&](int64_t n) {
    return testing::WaitUntil([&] { return RelayCheckpoint(db_, "relay") >= n; },
                              absl::Seconds(60));
  };

  ASSERT_TRUE(relayed_at_least(2000)) << relay->Output();
  relay->Signal(SIGKILL);
  relay->WaitForExit(absl::Seconds(5));
  relay = StartRelay(db_, *broker_, {"--batch_size=500"});

  ASSERT_TRUE(relayed_at_least(6000)) << relay->Output();
  broker_->Kill();
  // With the broker gone nothing is confirmed, so the checkpoint stands still.
  const int64_t while_down = RelayCheckpoint(db_, "relay");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(RelayCheckpoint(db_, "relay"), while_down);
  ASSERT_TRUE(broker_->Restart());

  ASSERT_TRUE(relayed_at_least(while_down + 3000)) << relay->Output();
  relay->Signal(SIGKILL);
  relay->WaitForExit(absl::Seconds(5));
  for (std::thread& t : writers) t.join();
  relay = StartRelay(db_, *broker_, {"--batch_size=500"});

  ASSERT_EQ(appended.load(), total);
  EXPECT_GT(held.load(), 20);
  ASSERT_TRUE(testing::WaitUntil([&] { return testing::ProjectionCaughtUp(db_.url(), "relay"); },
                                 absl::Seconds(120)))
      << relay->Output();

  std::vector<Delivery> got =
      Drain(*broker_, "chaos.all", absl::Seconds(15), static_cast<size_t>(total));
  std::set<std::string> ids;
  std::map<std::string, int> last_version;
  int gaps = 0;
  for (const Delivery& d : got) {
    if (!ids.insert(d.message_id).second) continue;  // a duplicate: dropped by message id
    const std::string& stream = d.headers.at("stream_id");
    const int version = std::stoi(d.headers.at("version"));
    if (version != last_version[stream] + 1) ++gaps;
    last_version[stream] = version;
  }
  EXPECT_EQ(gaps, 0) << "a stream's versions arrived out of order or with a gap";
  EXPECT_EQ(static_cast<int>(ids.size()), total) << "events were lost";
  // Every event of the log, by id.
  pqxx::connection connection(db_.url());
  pqxx::nontransaction tx(connection);
  int missing = 0;
  for (const pqxx::row& row : tx.exec("SELECT event_id::text FROM events")) {
    if (ids.count(row[0].as<std::string>()) == 0) ++missing;
  }
  EXPECT_EQ(missing, 0);
  std::printf("relay chaos: %d events, %zu messages (%zu duplicates), %d late commits\n", total,
              got.size(), got.size() - ids.size(), held.load());
  relay->Signal(SIGTERM);
  EXPECT_EQ(relay->WaitForExit(absl::Seconds(10)), 0);
}

}  // namespace
}  // namespace ordo
