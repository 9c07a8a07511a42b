// The read side end to end, as real processes: ordo-command, ordo-projector and ordo-query
// on free ports, driven over gRPC: read-your-writes with a consistency token, ListOrders
// pages while orders are being created, history, projection operations, error codes,
// health, and a database outage.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <pqxx/connection>
#include <pqxx/transaction>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "ordo/v1/command_service.grpc.pb.h"
#include "ordo/v1/query_service.grpc.pb.h"
#include "support/child_process.h"
#include "support/order_events.h"
#include "support/ordo_stack.h"
#include "support/service_process.h"
#include "support/tcp_proxy.h"
#include "support/test_database.h"
#include "support/wait.h"

namespace ordo {
namespace {

using ordo::v1::CommandResult;
using testing::ClientContext;

class QueryE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_ =
        new testing::OrdoStack({ORDO_COMMAND_BINARY, ORDO_PROJECTOR_BINARY, ORDO_QUERY_BINARY});
    database_ = &stack_->database();
    command_ = &stack_->command();
    projector_ = &stack_->projector();
    query_ = &stack_->query();
  }
  static void TearDownTestSuite() { delete stack_; }

  void SetUp() override {
    ASSERT_TRUE(command_->started() && query_->started());
    commands_ = ordo::v1::OrderCommandService::NewStub(command_->channel());
    queries_ = ordo::v1::OrderQueryService::NewStub(query_->channel());
    projections_ = ordo::v1::ProjectionService::NewStub(query_->channel());
  }

  CommandResult Create(const std::string& order_id, const std::string& customer) {
    ordo::v1::CreateOrderRequest request;
    request.set_order_id(order_id);
    request.set_customer_id(customer);
    request.set_currency("EUR");
    CommandResult result;
    grpc::Status status = commands_->CreateOrder(ClientContext().get(), request, &result);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return result;
  }

  CommandResult Add(const std::string& order_id, const std::string& sku, int quantity) {
    ordo::v1::AddItemRequest request;
    request.set_order_id(order_id);
    request.set_sku(sku);
    request.set_quantity(quantity);
    request.set_unit_price_cents(250);
    CommandResult result;
    grpc::Status status = commands_->AddItem(ClientContext().get(), request, &result);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return result;
  }

  grpc::Status Get(const std::string& order_id, const std::string& token, ordo::v1::Order* order,
                   std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    ordo::v1::GetOrderRequest request;
    request.set_order_id(order_id);
    request.set_consistency_token(token);
    return queries_->GetOrder(ClientContext(timeout).get(), request, order);
  }

  static testing::OrdoStack* stack_;
  static testing::TestDatabase* database_;
  static testing::ServiceProcess* command_;
  static testing::ChildProcess* projector_;
  static testing::ServiceProcess* query_;
  std::unique_ptr<ordo::v1::OrderCommandService::Stub> commands_;
  std::unique_ptr<ordo::v1::OrderQueryService::Stub> queries_;
  std::unique_ptr<ordo::v1::ProjectionService::Stub> projections_;
};
testing::OrdoStack* QueryE2eTest::stack_ = nullptr;
testing::TestDatabase* QueryE2eTest::database_ = nullptr;
testing::ServiceProcess* QueryE2eTest::command_ = nullptr;
testing::ChildProcess* QueryE2eTest::projector_ = nullptr;
testing::ServiceProcess* QueryE2eTest::query_ = nullptr;

TEST_F(QueryE2eTest, GetOrderWithTheTokenSeesTheWriteAtOnce) {
  for (int i = 0; i < 20; ++i) {
    const std::string id = absl::StrCat("ryw-", i);
    Create(id, "customer-ryw");
    CommandResult added = Add(id, "sku-a", i + 1);
    ordo::v1::Order order;
    grpc::Status status = Get(id, added.consistency_token(), &order);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(order.version(), added.version());
    EXPECT_EQ(order.item_count(), i + 1);
    EXPECT_EQ(order.total_cents(), (i + 1) * 250);
    ASSERT_EQ(order.lines_size(), 1);
    EXPECT_EQ(order.lines(0).sku(), "sku-a");
    EXPECT_EQ(order.status(), ordo::v1::ORDER_STATUS_PENDING);
    EXPECT_EQ(order.customer_id(), "customer-ryw");
    EXPECT_EQ(order.currency(), "EUR");
    EXPECT_GT(order.created_at().seconds(), 0);
  }
}

TEST_F(QueryE2eTest, ShippedOrderCarriesItsTrackingNumber) {
  Create("ship-1", "c");
  Add("ship-1", "sku-a", 2);
  Add("ship-1", "sku-b", 1);
  ordo::v1::ConfirmOrderRequest confirm;
  confirm.set_order_id("ship-1");
  CommandResult result;
  ASSERT_TRUE(commands_->ConfirmOrder(ClientContext().get(), confirm, &result).ok());
  ordo::v1::ShipOrderRequest ship;
  ship.set_order_id("ship-1");
  ship.set_tracking_number("1Z-777");
  ASSERT_TRUE(commands_->ShipOrder(ClientContext().get(), ship, &result).ok());
  ordo::v1::Order order;
  ASSERT_TRUE(Get("ship-1", result.consistency_token(), &order).ok());
  EXPECT_EQ(order.status(), ordo::v1::ORDER_STATUS_SHIPPED);
  EXPECT_EQ(order.tracking_number(), "1Z-777");
  EXPECT_EQ(order.line_count(), 2);
  EXPECT_EQ(order.item_count(), 3);
  EXPECT_EQ(order.version(), 5);
}

TEST_F(QueryE2eTest, GetOrderErrors) {
  ordo::v1::Order order;
  grpc::Status malformed = Get("x", "not-a-token", &order);
  EXPECT_EQ(malformed.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(malformed.error_message().substr(0, 18), "consistency_token:");

  // A token the projection has not reached: waits until the deadline, then says so.
  grpc::Status unreached = Get("x", "1.fffffffffff.1", &order, std::chrono::milliseconds(500));
  EXPECT_EQ(unreached.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);

  EXPECT_EQ(Get("no-such-order", "", &order).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Get("", "", &order).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(QueryE2eTest, ListOrdersWalksEveryPageExactlyOnceWhileOrdersAreCreated) {
  std::set<std::string> existing;
  CommandResult last;
  for (int i = 0; i < 60; ++i) {
    last = Create(absl::StrCat("walk-", i), "customer-walk");
    existing.insert(absl::StrCat("walk-", i));
  }
  ordo::v1::Order order;
  ASSERT_TRUE(Get("walk-59", last.consistency_token(), &order).ok());

  std::atomic<bool> stop{false};
  std::thread creator([&] {
    for (int i = 0; !stop && i < 200; ++i) Create(absl::StrCat("walk-new-", i), "customer-walk");
  });
  std::vector<std::string> seen;
  ordo::v1::ListOrdersRequest request;
  request.set_customer_id("customer-walk");
  request.set_page_size(7);
  int pages = 0;
  google::protobuf::Timestamp previous_created;
  previous_created.set_seconds(INT64_MAX / 2);
  do {
    ordo::v1::ListOrdersResponse page;
    grpc::Status status = queries_->ListOrders(ClientContext().get(), request, &page);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ++pages;
    for (const ordo::v1::Order& o : page.orders()) {
      seen.push_back(o.order_id());
      EXPECT_EQ(o.customer_id(), "customer-walk");
      // Newest first.
      EXPECT_TRUE(o.created_at().seconds() < previous_created.seconds() ||
                  (o.created_at().seconds() == previous_created.seconds() &&
                   o.created_at().nanos() <= previous_created.nanos()));
      previous_created = o.created_at();
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  stop = true;
  creator.join();

  std::set<std::string> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), seen.size()) << "an order appeared on two pages";
  for (const std::string& id : existing) EXPECT_EQ(unique.count(id), 1u) << id;
  EXPECT_GE(pages, 9);
}

TEST_F(QueryE2eTest, ListOrdersFiltersAndRefusesBadTokens) {
  CommandResult last;
  for (int i = 0; i < 3; ++i) {
    Create(absl::StrCat("flt-", i), "customer-flt");
    last = Add(absl::StrCat("flt-", i), "sku", 1);
  }
  ordo::v1::ConfirmOrderRequest confirm;
  confirm.set_order_id("flt-1");
  ASSERT_TRUE(commands_->ConfirmOrder(ClientContext().get(), confirm, &last).ok());
  ordo::v1::Order order;
  ASSERT_TRUE(Get("flt-1", last.consistency_token(), &order).ok());

  ordo::v1::ListOrdersRequest request;
  request.set_customer_id("customer-flt");
  request.set_status(ordo::v1::ORDER_STATUS_CONFIRMED);
  ordo::v1::ListOrdersResponse page;
  ASSERT_TRUE(queries_->ListOrders(ClientContext().get(), request, &page).ok());
  ASSERT_EQ(page.orders_size(), 1);
  EXPECT_EQ(page.orders(0).order_id(), "flt-1");
  EXPECT_TRUE(page.next_page_token().empty());

  ordo::v1::ListOrdersRequest by_status;
  by_status.set_status(ordo::v1::ORDER_STATUS_CONFIRMED);
  ASSERT_TRUE(queries_->ListOrders(ClientContext().get(), by_status, &page).ok());
  for (const auto& o : page.orders()) EXPECT_EQ(o.status(), ordo::v1::ORDER_STATUS_CONFIRMED);

  request.set_status(ordo::v1::ORDER_STATUS_UNSPECIFIED);
  request.set_page_size(1);
  ASSERT_TRUE(queries_->ListOrders(ClientContext().get(), request, &page).ok());
  ASSERT_FALSE(page.next_page_token().empty());
  ordo::v1::ListOrdersRequest other_filters;
  other_filters.set_customer_id("someone-else");
  other_filters.set_page_token(page.next_page_token());
  grpc::Status mismatch = queries_->ListOrders(ClientContext().get(), other_filters, &page);
  EXPECT_EQ(mismatch.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(mismatch.error_message().substr(0, 11), "page_token:");

  ordo::v1::ListOrdersRequest garbage;
  garbage.set_page_token("%%%");
  EXPECT_EQ(queries_->ListOrders(ClientContext().get(), garbage, &page).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  ordo::v1::ListOrdersRequest negative;
  negative.set_page_size(-1);
  EXPECT_EQ(queries_->ListOrders(ClientContext().get(), negative, &page).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  ordo::v1::ListOrdersRequest huge;
  huge.set_page_size(100000);
  EXPECT_TRUE(queries_->ListOrders(ClientContext().get(), huge, &page).ok());
  EXPECT_LE(page.orders_size(), 500);
}

TEST_F(QueryE2eTest, HistoryListsTheEventsInOrderInPages) {
  Create("hist-1", "c");
  for (int i = 0; i < 4; ++i) Add("hist-1", absl::StrCat("sku-", i), 1);
  ordo::v1::GetOrderHistoryRequest request;
  request.set_order_id("hist-1");
  request.set_page_size(2);
  std::vector<ordo::v1::RecordedEvent> events;
  do {
    ordo::v1::GetOrderHistoryResponse page;
    grpc::Status status = queries_->GetOrderHistory(ClientContext().get(), request, &page);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_LE(page.events_size(), 2);
    events.insert(events.end(), page.events().begin(), page.events().end());
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  ASSERT_EQ(events.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(events[i].version(), i + 1);
  EXPECT_EQ(events[0].event_type(), "OrderCreated");
  // OrderCreated in its v2 shape: customer { id, email }.
  EXPECT_EQ(events[0].schema_version(), 2);
  EXPECT_EQ(
      events[0].payload().fields().at("customer").struct_value().fields().at("id").string_value(),
      "c");
  EXPECT_EQ(events[3].payload().fields().at("sku").string_value(), "sku-2");
  EXPECT_EQ(events[3].metadata().fields().at("command").string_value(), "AddItem");
  EXPECT_LT(events[0].global_position(), events[4].global_position());

  ordo::v1::GetOrderHistoryResponse page;
  request.set_page_token("bogus");
  EXPECT_EQ(queries_->GetOrderHistory(ClientContext().get(), request, &page).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  ordo::v1::GetOrderHistoryRequest unknown;
  unknown.set_order_id("nothing-here");
  EXPECT_EQ(queries_->GetOrderHistory(ClientContext().get(), unknown, &page).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(QueryE2eTest, ProjectionServiceShowsStatusAndRebuilds) {
  CommandResult last = Create("proj-1", "c");
  ordo::v1::Order order;
  ASSERT_TRUE(Get("proj-1", last.consistency_token(), &order).ok());
  ordo::v1::ListProjectionsResponse listed;
  ASSERT_TRUE(projections_->ListProjections(ClientContext().get(), {}, &listed).ok());
  // Every projection is listed (by name); order_summary is the one this test wrote to.
  ASSERT_EQ(listed.projections_size(), 3);
  EXPECT_EQ(listed.projections(0).name(), "fulfilments");
  EXPECT_EQ(listed.projections(2).name(), "stock_levels");
  const ordo::v1::Projection& p = listed.projections(1);
  EXPECT_EQ(p.name(), "order_summary");
  EXPECT_EQ(p.state(), "running");
  EXPECT_GT(p.last_heartbeat().seconds(), 0);
  EXPECT_FALSE(p.checkpoint().empty());
  EXPECT_GE(listed.oldest_open_transaction_seconds(), 0);

  ordo::v1::ListDeadLettersResponse letters;
  ASSERT_TRUE(projections_->ListDeadLetters(ClientContext().get(), {}, &letters).ok());
  EXPECT_EQ(letters.dead_letters_size(), 0);
  ordo::v1::ReplayDeadLetterRequest replay;
  replay.set_id(424242);
  ordo::v1::ReplayDeadLetterResponse replayed;
  EXPECT_EQ(projections_->ReplayDeadLetter(ClientContext().get(), replay, &replayed).error_code(),
            grpc::StatusCode::NOT_FOUND);

  ordo::v1::RebuildProjectionRequest rebuild;
  rebuild.set_name("no_such_projection");
  ordo::v1::RebuildProjectionResponse rebuilt;
  EXPECT_EQ(projections_->RebuildProjection(ClientContext().get(), rebuild, &rebuilt).error_code(),
            grpc::StatusCode::NOT_FOUND);
  rebuild.set_name("order_summary");
  ASSERT_TRUE(projections_->RebuildProjection(ClientContext().get(), rebuild, &rebuilt).ok());
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        // Taken up by the projector (the request cleared), rebuilt and current.
        return database_->Query(
                   "SELECT state FROM projection_checkpoints"
                   " WHERE name = 'order_summary'"
                   "   AND rebuild_requested_at IS NULL") == "running" &&
               testing::ProjectionCaughtUp(database_->url(), "order_summary");
      },
      absl::Seconds(30)));
  EXPECT_EQ(testing::CountReadModelMismatches(database_->url()), 0);
  ASSERT_TRUE(Get("proj-1", "", &order).ok());
}

TEST_F(QueryE2eTest, HealthIsServingForBothServices) {
  auto health = grpc::health::v1::Health::NewStub(query_->channel());
  for (const char* service : {"", "ordo.v1.OrderQueryService", "ordo.v1.ProjectionService"}) {
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    ASSERT_TRUE(health->Check(ClientContext().get(), request, &response).ok()) << service;
    EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
  }
}

TEST_F(QueryE2eTest, DatabaseOutageIsUnavailableThenRecovers) {
  CommandResult created = Create("outage-q", "c");
  ordo::v1::Order order;
  ASSERT_TRUE(Get("outage-q", created.consistency_token(), &order).ok());
  testing::TcpProxy proxy(database_->port());
  testing::ServiceProcess query(
      ORDO_QUERY_BINARY,
      absl::StrCat(database_->ServiceUrl({"ordo_query"}), " port=", proxy.port()));
  ASSERT_TRUE(query.started());
  auto stub = ordo::v1::OrderQueryService::NewStub(query.channel());
  ordo::v1::GetOrderRequest request;
  request.set_order_id("outage-q");
  ASSERT_TRUE(stub->GetOrder(ClientContext().get(), request, &order).ok());
  proxy.Cut();
  EXPECT_EQ(stub->GetOrder(ClientContext().get(), request, &order).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  proxy.Restore();
  grpc::Status back = stub->GetOrder(ClientContext().get(), request, &order);
  EXPECT_TRUE(back.ok()) << back.error_message();
}

TEST(QueryProcess, RunProjectorsHostsTheProjectionsInProcess) {
  testing::TestDatabase db;
  testing::ServiceProcess query(ORDO_QUERY_BINARY, db.ServiceUrl({"ordo_query", "ordo_projector"}),
                                {"--run_projectors"});
  ASSERT_TRUE(query.started());
  {
    pqxx::connection connection(db.url());
    pqxx::work tx(connection);
    testing::InsertOrderEvent(tx, "hosted-1", 1, "OrderCreated",
                              testing::CreatedPayload("hosted-1", "c"));
    tx.commit();
  }
  auto stub = ordo::v1::OrderQueryService::NewStub(query.channel());
  ordo::v1::GetOrderRequest request;
  request.set_order_id("hosted-1");
  ordo::v1::Order order;
  ASSERT_TRUE(testing::WaitUntil(
      [&] { return stub->GetOrder(ClientContext().get(), request, &order).ok(); },
      absl::Seconds(20)))
      << query.process().Output();
  EXPECT_EQ(order.customer_id(), "c");
  EXPECT_NE(query.process().Output().find("order_summary: active"), std::string::npos);
}

}  // namespace
}  // namespace ordo
