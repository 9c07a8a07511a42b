// Inventory end to end, as real processes (ordo-command, ordo-projector, ordo-query) over
// gRPC: the stock lifecycle, reservation outcomes, every error code, read-your-writes on
// GetStock, ListStock pages; and an order stored as OrderCreated v1 read back as v2 through
// the query side.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <set>

#include "absl/strings/str_cat.h"
#include "ordo/v1/inventory_command_service.grpc.pb.h"
#include "ordo/v1/inventory_query_service.grpc.pb.h"
#include "ordo/v1/query_service.grpc.pb.h"
#include "support/child_process.h"
#include "support/ordo_stack.h"
#include "support/service_process.h"
#include "support/test_database.h"
#include "support/wait.h"

namespace ordo {
namespace {

using ordo::v1::StockResult;
using testing::ClientContext;

class InventoryE2eTest : public ::testing::Test {
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
    commands_ = ordo::v1::InventoryCommandService::NewStub(command_->channel());
    stock_ = ordo::v1::InventoryQueryService::NewStub(query_->channel());
  }

  grpc::Status Receive(const std::string& sku, int64_t quantity, StockResult* result,
                       const std::string& request_id = "") {
    ordo::v1::ReceiveStockRequest request;
    request.set_request_id(request_id);
    request.set_sku(sku);
    request.set_quantity(quantity);
    return commands_->ReceiveStock(ClientContext().get(), request, result);
  }

  grpc::Status Reserve(const std::string& sku, const std::string& order_id, int64_t quantity,
                       StockResult* result, const std::string& request_id = "") {
    ordo::v1::ReserveStockRequest request;
    request.set_request_id(request_id);
    request.set_sku(sku);
    request.set_order_id(order_id);
    request.set_quantity(quantity);
    return commands_->ReserveStock(ClientContext().get(), request, result);
  }

  grpc::Status Get(const std::string& sku, const std::string& token, ordo::v1::Stock* stock) {
    ordo::v1::GetStockRequest request;
    request.set_sku(sku);
    request.set_consistency_token(token);
    return stock_->GetStock(ClientContext().get(), request, stock);
  }

  static testing::OrdoStack* stack_;
  static testing::TestDatabase* database_;
  static testing::ServiceProcess* command_;
  static testing::ChildProcess* projector_;
  static testing::ServiceProcess* query_;
  std::unique_ptr<ordo::v1::InventoryCommandService::Stub> commands_;
  std::unique_ptr<ordo::v1::InventoryQueryService::Stub> stock_;
};
testing::OrdoStack* InventoryE2eTest::stack_ = nullptr;
testing::TestDatabase* InventoryE2eTest::database_ = nullptr;
testing::ServiceProcess* InventoryE2eTest::command_ = nullptr;
testing::ChildProcess* InventoryE2eTest::projector_ = nullptr;
testing::ServiceProcess* InventoryE2eTest::query_ = nullptr;

TEST_F(InventoryE2eTest, LifecycleWithReadYourWrites) {
  StockResult r;
  ASSERT_TRUE(Receive("tea-green", 10, &r).ok());
  EXPECT_EQ(r.sku(), "tea-green");
  EXPECT_EQ(r.version(), 1);
  EXPECT_EQ(r.on_hand(), 10);
  EXPECT_EQ(r.available(), 10);
  EXPECT_EQ(r.outcome(), ordo::v1::RESERVATION_OUTCOME_UNSPECIFIED);

  ASSERT_TRUE(Reserve("tea-green", "order-1", 4, &r).ok());
  EXPECT_EQ(r.outcome(), ordo::v1::RESERVATION_OUTCOME_RESERVED);
  EXPECT_EQ(r.reserved(), 4);
  EXPECT_EQ(r.available(), 6);
  ordo::v1::Stock stock;
  ASSERT_TRUE(Get("tea-green", r.consistency_token(), &stock).ok());
  EXPECT_EQ(stock.on_hand(), 10);
  EXPECT_EQ(stock.reserved(), 4);
  EXPECT_EQ(stock.available(), 6);
  EXPECT_EQ(stock.version(), 2);

  ASSERT_TRUE(Reserve("tea-green", "order-2", 7, &r).ok());
  EXPECT_EQ(r.outcome(), ordo::v1::RESERVATION_OUTCOME_REJECTED);
  EXPECT_EQ(r.available(), 6);

  ordo::v1::CommitStockRequest commit;
  commit.set_sku("tea-green");
  commit.set_order_id("order-1");
  ASSERT_TRUE(commands_->CommitStock(ClientContext().get(), commit, &r).ok());
  EXPECT_EQ(r.on_hand(), 6);
  EXPECT_EQ(r.reserved(), 0);

  ordo::v1::AdjustStockRequest adjust;
  adjust.set_sku("tea-green");
  adjust.set_delta(-2);
  adjust.set_reason("counted");
  ASSERT_TRUE(commands_->AdjustStock(ClientContext().get(), adjust, &r).ok());
  ASSERT_TRUE(Get("tea-green", r.consistency_token(), &stock).ok());
  EXPECT_EQ(stock.on_hand(), 4);
  EXPECT_EQ(stock.available(), 4);
  EXPECT_EQ(stock.version(), r.version());

  ordo::v1::ReleaseStockRequest release;
  release.set_sku("tea-green");
  release.set_order_id("order-never");
  StockResult released;
  ASSERT_TRUE(commands_->ReleaseStock(ClientContext().get(), release, &released).ok());
  EXPECT_EQ(released.version(), r.version()) << "releasing nothing appends nothing";
}

TEST_F(InventoryE2eTest, ARepeatedReservationRequestAnswersTheSame) {
  StockResult first, again;
  ASSERT_TRUE(Receive("mug-rep", 1, &first).ok());
  ASSERT_TRUE(Reserve("mug-rep", "order-a", 2, &first, "req-rep-1").ok());
  EXPECT_EQ(first.outcome(), ordo::v1::RESERVATION_OUTCOME_REJECTED);
  ASSERT_TRUE(Receive("mug-rep", 5, &again).ok());
  ASSERT_TRUE(Reserve("mug-rep", "order-a", 2, &again, "req-rep-1").ok());
  EXPECT_EQ(again.outcome(), ordo::v1::RESERVATION_OUTCOME_REJECTED);
  EXPECT_EQ(again.version(), first.version());
  EXPECT_EQ(again.consistency_token(), first.consistency_token());
  // The same request_id for other content is refused.
  EXPECT_EQ(Reserve("mug-rep", "order-a", 3, &again, "req-rep-1").error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(InventoryE2eTest, EveryErrorCodeNamesItsCause) {
  StockResult r;
  auto expect = [](const grpc::Status& status, grpc::StatusCode code, const std::string& start) {
    EXPECT_EQ(status.error_code(), code) << status.error_message();
    EXPECT_EQ(status.error_message().substr(0, start.size()), start) << status.error_message();
  };
  expect(Receive("", 1, &r), grpc::StatusCode::INVALID_ARGUMENT, "sku:");
  expect(Receive("bad sku", 1, &r), grpc::StatusCode::INVALID_ARGUMENT, "sku:");
  expect(Receive("s", 0, &r), grpc::StatusCode::INVALID_ARGUMENT, "quantity:");
  expect(Receive("s", 1000000001, &r), grpc::StatusCode::INVALID_ARGUMENT, "quantity:");
  expect(Reserve("s", "", 1, &r), grpc::StatusCode::INVALID_ARGUMENT, "order_id:");
  expect(Reserve("s", "o", 1000001, &r), grpc::StatusCode::INVALID_ARGUMENT, "quantity:");
  ordo::v1::AdjustStockRequest adjust;
  adjust.set_sku("err-sku");
  adjust.set_delta(0);
  expect(commands_->AdjustStock(ClientContext().get(), adjust, &r),
         grpc::StatusCode::INVALID_ARGUMENT, "delta:");
  adjust.set_delta(1);
  adjust.set_reason(std::string(501, 'r'));
  expect(commands_->AdjustStock(ClientContext().get(), adjust, &r),
         grpc::StatusCode::INVALID_ARGUMENT, "reason:");
  adjust.set_reason("");
  expect(commands_->AdjustStock(ClientContext().get(), adjust, &r), grpc::StatusCode::NOT_FOUND,
         "sku err-sku");

  ASSERT_TRUE(Receive("err-sku", 5, &r).ok());
  ASSERT_TRUE(Reserve("err-sku", "o-1", 3, &r).ok());
  adjust.set_delta(-3);
  expect(commands_->AdjustStock(ClientContext().get(), adjust, &r),
         grpc::StatusCode::FAILED_PRECONDITION, "an adjustment may not");
  ordo::v1::CommitStockRequest commit;
  commit.set_sku("err-sku");
  commit.set_order_id("o-none");
  expect(commands_->CommitStock(ClientContext().get(), commit, &r),
         grpc::StatusCode::FAILED_PRECONDITION, "order o-none");
  ordo::v1::ReceiveStockRequest stale;
  stale.set_sku("err-sku");
  stale.set_quantity(1);
  stale.set_expected_version(1);
  expect(commands_->ReceiveStock(ClientContext().get(), stale, &r), grpc::StatusCode::ABORTED,
         "expected_version 1");

  ordo::v1::Stock stock;
  expect(Get("never-received", "", &stock), grpc::StatusCode::NOT_FOUND, "sku never-received");
  expect(Get("", "", &stock), grpc::StatusCode::INVALID_ARGUMENT, "sku:");
  expect(Get("err-sku", "not-a-token", &stock), grpc::StatusCode::INVALID_ARGUMENT,
         "consistency_token:");
}

TEST_F(InventoryE2eTest, ListStockPagesInSkuOrderAndFiltersLowStock) {
  StockResult r;
  for (int i = 0; i < 7; ++i) ASSERT_TRUE(Receive(absl::StrCat("list-", i), i + 1, &r).ok());
  ordo::v1::Stock stock;
  ASSERT_TRUE(Get("list-6", r.consistency_token(), &stock).ok());
  ordo::v1::ListStockRequest request;
  request.set_page_size(3);
  std::vector<std::string> skus;
  do {
    ordo::v1::ListStockResponse page;
    ASSERT_TRUE(stock_->ListStock(ClientContext().get(), request, &page).ok());
    EXPECT_LE(page.items_size(), 3);
    for (const auto& item : page.items()) skus.push_back(item.sku());
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  EXPECT_TRUE(std::is_sorted(skus.begin(), skus.end()));
  EXPECT_EQ(std::count_if(skus.begin(), skus.end(),
                          [](const std::string& s) { return s.rfind("list-", 0) == 0; }),
            7);

  ordo::v1::ListStockRequest low;
  low.set_available_below(3);
  low.set_page_size(1);
  std::set<std::string> low_skus;
  do {
    ordo::v1::ListStockResponse page;
    ASSERT_TRUE(stock_->ListStock(ClientContext().get(), low, &page).ok());
    for (const auto& item : page.items()) {
      EXPECT_LT(item.available(), 3);
      if (item.sku().rfind("list-", 0) == 0) low_skus.insert(item.sku());
    }
    low.set_page_token(page.next_page_token());
  } while (!low.page_token().empty());
  EXPECT_EQ(low_skus, (std::set<std::string>{"list-0", "list-1"}));
  ordo::v1::ListStockRequest other = low;
  other.set_available_below(4);
  ordo::v1::ListStockResponse page;
  ordo::v1::ListStockRequest first = low;
  first.clear_page_token();
  ASSERT_TRUE(stock_->ListStock(ClientContext().get(), first, &page).ok());
  other.set_page_token(page.next_page_token());
  EXPECT_EQ(stock_->ListStock(ClientContext().get(), other, &page).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

// A v1 OrderCreated row, inserted by SQL as the code before v2 wrote it, reads back in the
// v2 shape through the history API and the read model.
TEST_F(InventoryE2eTest, AnOrderStoredAsV1ReadsAsV2ThroughTheQuerySide) {
  database_->Query(
      "INSERT INTO events (stream_id, stream_type, version, event_id, event_type, "
      "schema_version, payload, metadata) VALUES ('legacy-1', 'order', 1, gen_random_uuid(), "
      "'OrderCreated', 1, '{\"order_id\": \"legacy-1\", \"customer_id\": \"cust-old\", "
      "\"currency\": \"EUR\"}', '{}')");
  auto orders = ordo::v1::OrderQueryService::NewStub(query_->channel());
  ordo::v1::GetOrderHistoryRequest history_request;
  history_request.set_order_id("legacy-1");
  ordo::v1::GetOrderHistoryResponse history;
  ASSERT_TRUE(orders->GetOrderHistory(ClientContext().get(), history_request, &history).ok());
  ASSERT_EQ(history.events_size(), 1);
  EXPECT_EQ(history.events(0).schema_version(), 2);
  const auto& payload = history.events(0).payload().fields();
  EXPECT_EQ(payload.count("customer_id"), 0u);
  EXPECT_EQ(payload.at("customer").struct_value().fields().at("id").string_value(), "cust-old");
  ordo::v1::Order order;
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        ordo::v1::GetOrderRequest get;
        get.set_order_id("legacy-1");
        return orders->GetOrder(ClientContext().get(), get, &order).ok();
      },
      absl::Seconds(20)));
  EXPECT_EQ(order.customer_id(), "cust-old");
  EXPECT_EQ(order.customer_email(), "");
  EXPECT_FALSE(order.has_shipping_address());
}

}  // namespace
}  // namespace ordo
