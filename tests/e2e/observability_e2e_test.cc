// Observability end to end (DESIGN §13), as real processes over a real PostgreSQL and a
// private RabbitMQ: every long-running binary serves /metrics that promtool accepts, with
// the series DESIGN §13 names; the call counters move by exactly the calls made; the lag
// climbs on ordo-query's endpoint and on another subscriber host's while the projector is
// stopped, and falls after; the oldest-transaction age climbs while one is held open;
// ordo-query's health reports a subscriber whose loop stopped (SIGSTOP) as NOT_SERVING; and
// --log_format=json writes lines that parse and carry the request's correlation id.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <pqxx/connection>
#include <pqxx/transaction>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "ordo/v1/command_service.grpc.pb.h"
#include "ordo/v1/query_service.grpc.pb.h"
#include "support/child_process.h"
#include "support/metrics_scrape.h"
#include "support/service_process.h"
#include "support/test_broker.h"
#include "support/test_database.h"
#include "support/wait.h"

namespace ordo {
namespace {

using testing::ClientContext;

const char kMetricsFlag[] = "--metrics_listen=127.0.0.1:0";

std::unique_ptr<testing::ChildProcess> StartProjector(const std::string& database_url,
                                                      const std::string& projections) {
  auto projector = std::make_unique<testing::ChildProcess>(std::vector<std::string>{
      ORDO_PROJECTOR_BINARY, "--database_url=" + database_url, kMetricsFlag,
      "--projections=" + projections, "--poll_interval=100ms"});
  EXPECT_TRUE(projector->WaitForOutput("ordo-projector running", absl::Seconds(20)))
      << projector->Output();
  return projector;
}

// The value of a series now, 0 when the series does not exist yet (a counter before its
// first increment).
double ValueNow(int port, const std::string& name,
                const std::map<std::string, std::string>& labels) {
  std::optional<std::string> text = testing::ScrapeMetrics(port);
  if (!text) return -1;
  return testing::SeriesValue(*text, name, labels).value_or(0);
}

// Waits until the series satisfies `condition`; returns whether it did.
bool WaitForSeries(int port, const std::string& name,
                   const std::map<std::string, std::string>& labels,
                   const std::function<bool(double)>& condition,
                   absl::Duration timeout = absl::Seconds(20)) {
  return testing::WaitUntil(
      [&] {
        std::optional<std::string> text = testing::ScrapeMetrics(port);
        if (!text) return false;
        std::optional<double> value = testing::SeriesValue(*text, name, labels);
        return value && condition(*value);
      },
      timeout);
}

class ObservabilityE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = new testing::TestDatabase();
    command_ =
        new testing::ServiceProcess(ORDO_COMMAND_BINARY, database_->ServiceUrl({"ordo_command"}),
                                    {kMetricsFlag, "--log_format=json"});
    query_ = new testing::ServiceProcess(ORDO_QUERY_BINARY, database_->ServiceUrl({"ordo_query"}),
                                         {kMetricsFlag});
    projector_ =
        StartProjector(database_->ServiceUrl({"ordo_projector"}), "order_summary").release();
    // Hosts another subscriber: it exports every subscriber's lag, order_summary's too.
    other_host_ =
        StartProjector(database_->ServiceUrl({"ordo_projector"}), "stock_levels").release();
  }
  static void TearDownTestSuite() {
    delete other_host_;
    delete projector_;
    delete query_;
    delete command_;
    delete database_;
  }

  void SetUp() override {
    ASSERT_TRUE(command_->started() && query_->started());
    command_metrics_ = testing::MetricsPort(command_->process());
    query_metrics_ = testing::MetricsPort(query_->process());
    projector_metrics_ = testing::MetricsPort(*projector_);
    other_host_metrics_ = testing::MetricsPort(*other_host_);
    ASSERT_NE(command_metrics_, 0) << command_->process().Output();
    ASSERT_NE(query_metrics_, 0) << query_->process().Output();
    ASSERT_NE(projector_metrics_, 0) << projector_->Output();
    ASSERT_NE(other_host_metrics_, 0) << other_host_->Output();
    orders_ = ordo::v1::OrderCommandService::NewStub(command_->channel());
    queries_ = ordo::v1::OrderQueryService::NewStub(query_->channel());
    health_ = grpc::health::v1::Health::NewStub(query_->channel());
  }

  std::string CreateOrder(const std::string& correlation_id = "") {
    ordo::v1::CreateOrderRequest request;
    request.set_customer_id("c-observed");
    request.set_currency("EUR");
    ordo::v1::CommandResult result;
    auto context = ClientContext();
    if (!correlation_id.empty()) context->AddMetadata("x-correlation-id", correlation_id);
    EXPECT_TRUE(orders_->CreateOrder(context.get(), request, &result).ok());
    return result.order_id();
  }

  grpc::health::v1::HealthCheckResponse::ServingStatus Health(const std::string& service) {
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    if (!health_->Check(ClientContext().get(), request, &response).ok()) {
      return grpc::health::v1::HealthCheckResponse::UNKNOWN;
    }
    return response.status();
  }

  static testing::TestDatabase* database_;
  static testing::ServiceProcess* command_;
  static testing::ServiceProcess* query_;
  static testing::ChildProcess* projector_;
  static testing::ChildProcess* other_host_;
  int command_metrics_ = 0;
  int query_metrics_ = 0;
  int projector_metrics_ = 0;
  int other_host_metrics_ = 0;
  std::unique_ptr<ordo::v1::OrderCommandService::Stub> orders_;
  std::unique_ptr<ordo::v1::OrderQueryService::Stub> queries_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
};
testing::TestDatabase* ObservabilityE2eTest::database_ = nullptr;
testing::ServiceProcess* ObservabilityE2eTest::command_ = nullptr;
testing::ServiceProcess* ObservabilityE2eTest::query_ = nullptr;
testing::ChildProcess* ObservabilityE2eTest::projector_ = nullptr;
testing::ChildProcess* ObservabilityE2eTest::other_host_ = nullptr;

// Scrapes `port` until every family in `names` is there (the sampled ones appear after the
// first sample), then checks the text with promtool.
void ExpectServesFamilies(const std::string& service, int port,
                          const std::vector<std::string>& names) {
  ASSERT_NE(port, 0) << service;
  std::string text;
  const bool all_there = testing::WaitUntil(
      [&] {
        text = testing::ScrapeMetrics(port).value_or("");
        for (const std::string& name : names) {
          if (!testing::HasFamily(text, name)) return false;
        }
        return true;
      },
      absl::Seconds(20));
  for (const std::string& name : names) {
    EXPECT_TRUE(testing::HasFamily(text, name)) << service << " lacks " << name;
  }
  EXPECT_TRUE(all_there) << service << ":\n" << text;
  EXPECT_EQ(testing::PromtoolProblems(text), "") << service;
}

TEST_F(ObservabilityE2eTest, EveryServiceServesPrometheusTextWithTheNamedSeries) {
  CreateOrder();
  ordo::v1::GetOrderRequest get;
  get.set_order_id("no-such-order");
  ordo::v1::Order order;
  (void)queries_->GetOrder(ClientContext().get(), get, &order);

  const std::vector<std::string> rpc = {"ordo_rpc_requests_total", "ordo_rpc_duration_seconds"};
  const std::vector<std::string> subscribers = {
      "ordo_subscriber_lag_events",          "ordo_subscriber_lag_seconds",
      "ordo_subscriber_parked_streams",      "ordo_subscriber_heartbeat_age_seconds",
      "ordo_oldest_transaction_age_seconds", "ordo_saga_timers_overdue",
      "ordo_subscriber_metrics_up"};
  std::vector<std::string> command = rpc;
  for (const char* name : {"ordo_events_appended_total", "ordo_append_batch_size",
                           "ordo_db_pool_wait_seconds", "ordo_db_pool_timeouts_total"}) {
    command.push_back(name);
  }
  ExpectServesFamilies("ordo-command", command_metrics_, command);

  std::vector<std::string> query = rpc;
  query.insert(query.end(), subscribers.begin(), subscribers.end());
  query.push_back("ordo_fulfilment_sagas");
  ExpectServesFamilies("ordo-query", query_metrics_, query);

  std::vector<std::string> projector = subscribers;
  for (const char* name : {"ordo_subscriber_active", "ordo_subscriber_events_handled_total",
                           "ordo_subscriber_batch_seconds"}) {
    projector.push_back(name);
  }
  ExpectServesFamilies("ordo-projector", projector_metrics_, projector);

  // The saga, the relay and ordo-notify, started for this test.
  testing::ChildProcess saga(
      {ORDO_SAGA_BINARY, "--database_url=" + database_->ServiceUrl({"ordo_saga"}), kMetricsFlag});
  std::vector<std::string> saga_names = subscribers;
  saga_names.push_back("ordo_subscriber_active");
  saga_names.push_back("ordo_append_batch_size");
  ExpectServesFamilies("ordo-saga", testing::MetricsPort(saga), saga_names);

  testing::TestBroker broker;
  ASSERT_TRUE(broker.started());
  testing::ChildProcess notify({ORDO_NOTIFY_BINARY,
                                "--database_url=" + database_->ServiceUrl({"ordo_notify"}),
                                "--amqp_url=" + broker.url(), kMetricsFlag});
  ASSERT_TRUE(notify.WaitForOutput("consuming ordo.notify", absl::Seconds(20))) << notify.Output();
  testing::ChildProcess relay({ORDO_RELAY_BINARY,
                               "--database_url=" + database_->ServiceUrl({"ordo_relay"}),
                               "--amqp_url=" + broker.url(), kMetricsFlag});
  const int relay_port = testing::MetricsPort(relay);
  std::vector<std::string> relay_names = subscribers;
  for (const char* name : {"ordo_relay_published_total", "ordo_relay_connections_total",
                           "ordo_relay_unconfirmed_messages", "ordo_relay_confirm_seconds"}) {
    relay_names.push_back(name);
  }
  ExpectServesFamilies("ordo-relay", relay_port, relay_names);
  // The relay published the order's OrderCreated, and ordo-notify took it.
  EXPECT_TRUE(WaitForSeries(relay_port, "ordo_relay_published_total", {{"relay", "relay"}},
                            [](double v) { return v >= 1; }))
      << relay.Output();
  const int notify_port = testing::MetricsPort(notify);
  ExpectServesFamilies("ordo-notify", notify_port, {"ordo_consumer_messages_total"});
  EXPECT_TRUE(WaitForSeries(notify_port, "ordo_consumer_messages_total",
                            {{"consumer", "notify"}, {"outcome", "done"}},
                            [](double v) { return v >= 1; }))
      << notify.Output();
}

TEST_F(ObservabilityE2eTest, CallCountersMoveByExactlyTheCallsMade) {
  const std::map<std::string, std::string> created_ok = {
      {"method", "ordo.v1.OrderCommandService/CreateOrder"}, {"code", "OK"}};
  const std::map<std::string, std::string> added_invalid = {
      {"method", "ordo.v1.OrderCommandService/AddItem"}, {"code", "INVALID_ARGUMENT"}};
  const std::map<std::string, std::string> missing = {
      {"method", "ordo.v1.OrderQueryService/GetOrder"}, {"code", "NOT_FOUND"}};
  const double created_before = ValueNow(command_metrics_, "ordo_rpc_requests_total", created_ok);
  const double invalid_before =
      ValueNow(command_metrics_, "ordo_rpc_requests_total", added_invalid);
  const double appended_before =
      ValueNow(command_metrics_, "ordo_events_appended_total", {{"stream_type", "order"}});
  const double timed_before = ValueNow(command_metrics_, "ordo_rpc_duration_seconds_count",
                                       {{"method", "ordo.v1.OrderCommandService/CreateOrder"}});
  const double missing_before = ValueNow(query_metrics_, "ordo_rpc_requests_total", missing);

  constexpr int kCreated = 5, kInvalid = 3, kMissing = 4;
  std::string order_id;
  for (int i = 0; i < kCreated; ++i) order_id = CreateOrder();
  for (int i = 0; i < kInvalid; ++i) {
    ordo::v1::AddItemRequest add;
    add.set_order_id(order_id);
    add.set_sku("");  // invalid: the sku is required
    add.set_quantity(1);
    ordo::v1::CommandResult result;
    EXPECT_EQ(orders_->AddItem(ClientContext().get(), add, &result).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
  for (int i = 0; i < kMissing; ++i) {
    ordo::v1::GetOrderRequest get;
    get.set_order_id(absl::StrCat("never-created-", i));
    ordo::v1::Order order;
    EXPECT_EQ(queries_->GetOrder(ClientContext().get(), get, &order).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }

  EXPECT_EQ(ValueNow(command_metrics_, "ordo_rpc_requests_total", created_ok) - created_before,
            kCreated);
  EXPECT_EQ(ValueNow(command_metrics_, "ordo_rpc_requests_total", added_invalid) - invalid_before,
            kInvalid);
  EXPECT_EQ(ValueNow(command_metrics_, "ordo_rpc_duration_seconds_count",
                     {{"method", "ordo.v1.OrderCommandService/CreateOrder"}}) -
                timed_before,
            kCreated);
  // One OrderCreated per order; the refused AddItems appended nothing.
  EXPECT_EQ(ValueNow(command_metrics_, "ordo_events_appended_total", {{"stream_type", "order"}}) -
                appended_before,
            kCreated);
  EXPECT_EQ(ValueNow(query_metrics_, "ordo_rpc_requests_total", missing) - missing_before,
            kMissing);
}

TEST_F(ObservabilityE2eTest, TheAggregateCacheCountsWhereEachCommandsOrderCameFrom) {
  const auto lookups = [&](const char* result) {
    return ValueNow(command_metrics_, "ordo_aggregate_cache_lookups_total",
                    {{"stream_type", "order"}, {"result", result}});
  };
  const double hits = lookups("hit"), misses = lookups("miss"), created = lookups("new_stream");
  const auto add_item = [&](const std::string& order_id) {
    ordo::v1::AddItemRequest add;
    add.set_order_id(order_id);
    add.set_sku("cache-sku");
    add.set_quantity(1);
    add.set_unit_price_cents(100);
    ordo::v1::CommandResult result;
    grpc::Status status = orders_->AddItem(ClientContext().get(), add, &result);
    EXPECT_TRUE(status.ok()) << status.error_message();
  };
  // Made by ordo-command: in its cache from then on.
  add_item(CreateOrder());
  // Appended by someone else: ordo-command has to read it.
  database_->Query(
      "INSERT INTO events (stream_id, stream_type, version, event_id, event_type,"
      " schema_version, payload, metadata) VALUES ('cache-cold', 'order', 1, gen_random_uuid(),"
      " 'OrderCreated', 1, '{\"order_id\": \"cache-cold\", \"customer_id\": \"c\","
      " \"currency\": \"EUR\"}', '{}')");
  add_item("cache-cold");
  EXPECT_EQ(lookups("new_stream") - created, 1);
  EXPECT_EQ(lookups("hit") - hits, 1);
  EXPECT_EQ(lookups("miss") - misses, 1);
}

TEST_F(ObservabilityE2eTest, LagClimbsWhileTheProjectorIsStoppedAndFallsAfter) {
  const std::map<std::string, std::string> summary = {{"subscriber", "order_summary"}};
  CreateOrder();
  ASSERT_TRUE(WaitForSeries(query_metrics_, "ordo_subscriber_lag_events", summary,
                            [](double v) { return v == 0; }));
  projector_->Signal(SIGTERM);
  ASSERT_EQ(projector_->WaitForExit(absl::Seconds(15)), 0) << projector_->Output();

  constexpr int kOrders = 6;
  for (int i = 0; i < kOrders; ++i) CreateOrder();
  // On ordo-query's endpoint and on the other subscriber host's: computed from the
  // checkpoints, so visible while order_summary has no runner at all.
  for (int port : {query_metrics_, other_host_metrics_}) {
    EXPECT_TRUE(WaitForSeries(port, "ordo_subscriber_lag_events", summary,
                              [](double v) { return v >= kOrders; }))
        << "port " << port;
    EXPECT_TRUE(
        WaitForSeries(port, "ordo_subscriber_lag_seconds", summary, [](double v) { return v > 0; }))
        << "port " << port;
  }

  delete projector_;
  projector_ = StartProjector(database_->ServiceUrl({"ordo_projector"}), "order_summary").release();
  for (int port : {query_metrics_, other_host_metrics_}) {
    EXPECT_TRUE(
        WaitForSeries(port, "ordo_subscriber_lag_events", summary, [](double v) { return v == 0; }))
        << "port " << port;
    EXPECT_TRUE(WaitForSeries(port, "ordo_subscriber_lag_seconds", summary,
                              [](double v) { return v == 0; }))
        << "port " << port;
  }
}

TEST_F(ObservabilityE2eTest, OldestTransactionAgeClimbsWhileOneIsHeldOpen) {
  pqxx::connection connection(database_->url());
  auto held = std::make_unique<pqxx::work>(connection);
  held->exec("SELECT pg_current_xact_id()");  // takes an xid: it holds the tail back
  EXPECT_TRUE(WaitForSeries(query_metrics_, "ordo_oldest_transaction_age_seconds", {},
                            [](double v) { return v >= 3; }));
  held->commit();
  held.reset();
  // The age is the cluster's (its floor holds every database's tail back), and tests
  // running beside this one hold transactions too, though never for long.
  EXPECT_TRUE(WaitForSeries(
      query_metrics_, "ordo_oldest_transaction_age_seconds", {}, [](double v) { return v < 2; },
      absl::Seconds(60)));
}

TEST_F(ObservabilityE2eTest, ASubscriberWhoseLoopStoppedIsNotServing) {
  const std::string service = "ordo.subscriber.order_summary";
  ASSERT_TRUE(testing::WaitUntil(
      [&] { return Health(service) == grpc::health::v1::HealthCheckResponse::SERVING; },
      absl::Seconds(20)));
  // Stopped, not dead: it keeps its lease and the log is quiet, so its lag stays 0.
  projector_->Signal(SIGSTOP);
  EXPECT_TRUE(testing::WaitUntil(
      [&] { return Health(service) == grpc::health::v1::HealthCheckResponse::NOT_SERVING; },
      absl::Seconds(20)));
  EXPECT_EQ(
      ValueNow(query_metrics_, "ordo_subscriber_lag_events", {{"subscriber", "order_summary"}}), 0);
  EXPECT_GE(ValueNow(query_metrics_, "ordo_subscriber_heartbeat_age_seconds",
                     {{"subscriber", "order_summary"}}),
            10);
  projector_->Signal(SIGCONT);
  EXPECT_TRUE(testing::WaitUntil(
      [&] { return Health(service) == grpc::health::v1::HealthCheckResponse::SERVING; },
      absl::Seconds(20)));
}

TEST_F(ObservabilityE2eTest, JsonLogLinesParseAndCarryTheCorrelationId) {
  const std::string correlation_id = "obs-json-correlation-1";
  ordo::v1::ConfirmOrderRequest confirm;
  confirm.set_order_id("an order that was never created");
  ordo::v1::CommandResult result;
  auto context = ClientContext();
  context->AddMetadata("x-correlation-id", correlation_id);
  EXPECT_FALSE(orders_->ConfirmOrder(context.get(), confirm, &result).ok());
  ASSERT_TRUE(command_->process().WaitForOutput(correlation_id, absl::Seconds(10)))
      << command_->process().Output();

  bool found = false;
  for (absl::string_view line : absl::StrSplit(command_->process().Output(), '\n')) {
    if (line.empty()) continue;
    // stdout carries the two start-up lines; stderr, the log, is JSON only.
    if (absl::StrContains(line, "listening on") || absl::StrContains(line, "metrics on")) {
      continue;
    }
    const nlohmann::json parsed = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    ASSERT_TRUE(parsed.is_object()) << line;
    for (const char* key : {"ts", "level", "msg", "service"}) {
      EXPECT_TRUE(parsed.contains(key)) << key << " in " << line;
    }
    EXPECT_EQ(parsed.value("service", ""), "ordo-command") << line;
    if (parsed.value("correlation_id", "") == correlation_id) {
      found = true;
      EXPECT_EQ(parsed.value("level", ""), "info");
      EXPECT_TRUE(absl::StrContains(parsed.value("msg", ""), "ConfirmOrderRequest refused"))
          << line;
      EXPECT_EQ(parsed.value("trace_id", "").size(), 32u) << line;
    }
  }
  EXPECT_TRUE(found) << command_->process().Output();

  testing::ChildProcess bad({ORDO_COMMAND_BINARY,
                             "--database_url=" + database_->ServiceUrl({"ordo_command"}),
                             "--log_format=yaml"});
  // The line may reach the pipe as the process exits: wait for it, then for the exit.
  EXPECT_TRUE(bad.WaitForOutput("--log_format must be text or json", absl::Seconds(10)))
      << bad.Output();
  EXPECT_EQ(bad.WaitForExit(absl::Seconds(10)), 1);
}

}  // namespace
}  // namespace ordo
