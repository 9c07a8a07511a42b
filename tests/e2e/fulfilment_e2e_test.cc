// Fulfilment end to end, as real processes (ordo-command, ordo-projector, ordo-query and
// ordo-saga) over gRPC: the happy path to SHIPPED and COMPLETED, the three failure paths
// (out of stock, declined, timed out) and a customer cancelling mid-flow, each CANCELLED
// with its reason and the stock back; one correlation id across the whole flow; and two
// ordo-saga processes with the active one killed (-9) mid-flow.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdlib>
#include <memory>
#include <pqxx/connection>
#include <pqxx/nontransaction>

#include "absl/strings/str_cat.h"
#include "ordo/v1/command_service.grpc.pb.h"
#include "ordo/v1/fulfilment_query_service.grpc.pb.h"
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

using ordo::v1::Fulfilment;
using testing::ClientContext;

constexpr absl::Duration kPaymentTimeout = absl::Seconds(2);

// Waits until it runs; `active`: until it holds the saga's lease (and so its checkpoint
// exists, at the head of the log when it is the first).
std::unique_ptr<testing::ChildProcess> StartSaga(const std::string& database_url, bool active) {
  auto saga = std::make_unique<testing::ChildProcess>(
      std::vector<std::string>{ORDO_SAGA_BINARY, "--database_url=" + database_url,
                               "--payment_timeout=" + absl::FormatDuration(kPaymentTimeout),
                               "--carrier_delay=50ms", "--payment_limit_cents=1000000"});
  EXPECT_TRUE(saga->WaitForOutput(active ? "subscriber fulfilment: active" : "ordo-saga running",
                                  absl::Seconds(20)))
      << saga->Output();
  return saga;
}

class FulfilmentE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_ =
        new testing::OrdoStack({ORDO_COMMAND_BINARY, ORDO_PROJECTOR_BINARY, ORDO_QUERY_BINARY});
    saga_ = StartSaga(stack_->database().ServiceUrl({"ordo_saga"}), /*active=*/true).release();
  }
  static void TearDownTestSuite() {
    delete saga_;
    delete stack_;
  }

  void SetUp() override {
    ASSERT_TRUE(stack_->started());
    orders_ = ordo::v1::OrderCommandService::NewStub(stack_->command().channel());
    inventory_ = ordo::v1::InventoryCommandService::NewStub(stack_->command().channel());
    order_queries_ = ordo::v1::OrderQueryService::NewStub(stack_->query().channel());
    stock_ = ordo::v1::InventoryQueryService::NewStub(stack_->query().channel());
    fulfilments_ = ordo::v1::FulfilmentQueryService::NewStub(stack_->query().channel());
  }

  testing::TestDatabase& database() { return stack_->database(); }

  void Receive(const std::string& sku, int64_t quantity) {
    ordo::v1::ReceiveStockRequest request;
    request.set_sku(sku);
    request.set_quantity(quantity);
    ordo::v1::StockResult result;
    ASSERT_TRUE(inventory_->ReceiveStock(ClientContext().get(), request, &result).ok());
  }

  // Creates an order of `lines` (sku, quantity) for `customer` and confirms it, all with
  // `correlation_id` and `traceparent`; returns its id.
  std::string PlaceOrder(const std::string& customer,
                         const std::vector<std::pair<std::string, int>>& lines,
                         const std::string& correlation_id = "",
                         const std::string& traceparent = "") {
    auto context = [&] {
      auto c = ClientContext();
      if (!correlation_id.empty()) c->AddMetadata("x-correlation-id", correlation_id);
      if (!traceparent.empty()) c->AddMetadata("traceparent", traceparent);
      return c;
    };
    ordo::v1::CreateOrderRequest create;
    create.set_customer_id(customer);
    create.set_currency("EUR");
    ordo::v1::CommandResult created;
    EXPECT_TRUE(orders_->CreateOrder(context().get(), create, &created).ok());
    for (const auto& [sku, quantity] : lines) {
      ordo::v1::AddItemRequest add;
      add.set_order_id(created.order_id());
      add.set_sku(sku);
      add.set_quantity(quantity);
      add.set_unit_price_cents(250);
      ordo::v1::CommandResult added;
      EXPECT_TRUE(orders_->AddItem(context().get(), add, &added).ok());
    }
    ordo::v1::ConfirmOrderRequest confirm;
    confirm.set_order_id(created.order_id());
    ordo::v1::CommandResult confirmed;
    EXPECT_TRUE(orders_->ConfirmOrder(context().get(), confirm, &confirmed).ok());
    return created.order_id();
  }

  grpc::Status GetFulfilment(const std::string& order_id, Fulfilment* out) {
    ordo::v1::GetFulfilmentRequest request;
    request.set_order_id(order_id);
    return fulfilments_->GetFulfilment(ClientContext().get(), request, out);
  }

  // Waits until the order's fulfilment is in `state`; returns it.
  Fulfilment WaitForState(const std::string& order_id, ordo::v1::FulfilmentState state,
                          absl::Duration timeout = absl::Seconds(30)) {
    Fulfilment fulfilment;
    const bool reached = testing::WaitUntil(
        [&] { return GetFulfilment(order_id, &fulfilment).ok() && fulfilment.state() == state; },
        timeout);
    EXPECT_TRUE(reached) << "order " << order_id << " is "
                         << ordo::v1::FulfilmentState_Name(fulfilment.state()) << ", not "
                         << ordo::v1::FulfilmentState_Name(state) << "\n"
                         << fulfilment.DebugString() << saga_->Output();
    return fulfilment;
  }

  ordo::v1::Order GetOrder(const std::string& order_id) {
    ordo::v1::GetOrderRequest request;
    request.set_order_id(order_id);
    ordo::v1::Order order;
    EXPECT_TRUE(order_queries_->GetOrder(ClientContext().get(), request, &order).ok());
    return order;
  }

  // Waits until the order's read model shows `status` (it is projected apart from the
  // fulfilment, so it may lag behind it); returns the order.
  ordo::v1::Order WaitForOrder(const std::string& order_id, ordo::v1::OrderStatus status) {
    ordo::v1::Order order;
    EXPECT_TRUE(testing::WaitUntil(
        [&] {
          order = GetOrder(order_id);
          return order.status() == status;
        },
        absl::Seconds(10)))
        << order.DebugString();
    return order;
  }

  ordo::v1::Stock GetStock(const std::string& sku) {
    ordo::v1::GetStockRequest request;
    request.set_sku(sku);
    ordo::v1::Stock stock;
    EXPECT_TRUE(stock_->GetStock(ClientContext().get(), request, &stock).ok());
    return stock;
  }

  // Waits until the SKU's read model shows `reserved` and `on_hand`.
  void ExpectStock(const std::string& sku, int64_t on_hand, int64_t reserved) {
    ordo::v1::Stock stock;
    EXPECT_TRUE(testing::WaitUntil(
        [&] {
          stock = GetStock(sku);
          return stock.on_hand() == on_hand && stock.reserved() == reserved;
        },
        absl::Seconds(10)))
        << sku << ": " << stock.DebugString();
  }

  // How many events the log holds of `type` on `stream_id`.
  int Count(const std::string& stream_id, const std::string& type) {
    return std::stoi(
        database().Query(absl::StrCat("SELECT count(*) FROM events WHERE stream_id = '", stream_id,
                                      "' AND event_type = '", type, "'")));
  }

  static testing::OrdoStack* stack_;
  static testing::ChildProcess* saga_;
  std::unique_ptr<ordo::v1::OrderCommandService::Stub> orders_;
  std::unique_ptr<ordo::v1::InventoryCommandService::Stub> inventory_;
  std::unique_ptr<ordo::v1::OrderQueryService::Stub> order_queries_;
  std::unique_ptr<ordo::v1::InventoryQueryService::Stub> stock_;
  std::unique_ptr<ordo::v1::FulfilmentQueryService::Stub> fulfilments_;
};
testing::OrdoStack* FulfilmentE2eTest::stack_ = nullptr;
testing::ChildProcess* FulfilmentE2eTest::saga_ = nullptr;

TEST_F(FulfilmentE2eTest, AConfirmedOrderShipsAndCompletes) {
  Receive("happy-tea", 10);
  Receive("happy-mug", 5);
  // The client's span; the trace id is what every hop keeps.
  const std::string trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  const std::string client_traceparent = absl::StrCat("00-", trace_id, "-00f067aa0ba902b7-01");
  const std::string order_id = PlaceOrder("c-happy", {{"happy-tea", 3}, {"happy-mug", 1}},
                                          "corr-happy-path", client_traceparent);
  Fulfilment f = WaitForState(order_id, ordo::v1::FULFILMENT_STATE_COMPLETED);
  EXPECT_EQ(f.reason(), "");
  EXPECT_EQ(f.payment().status(), ordo::v1::PAYMENT_STATUS_CAPTURED);
  EXPECT_EQ(f.payment().amount_cents(), 4 * 250);
  EXPECT_EQ(f.shipment().status(), ordo::v1::SHIPMENT_STATUS_SHIPPED);
  EXPECT_EQ(f.shipment().carrier(), "sandbox");
  ASSERT_EQ(f.reservations_size(), 2);
  for (const auto& r : f.reservations()) {
    EXPECT_EQ(r.status(), ordo::v1::RESERVATION_STATUS_COMMITTED) << r.sku();
  }
  const ordo::v1::Order order = WaitForOrder(order_id, ordo::v1::ORDER_STATUS_SHIPPED);
  EXPECT_EQ(order.tracking_number(), f.shipment().tracking_number());
  EXPECT_EQ(order.tracking_number().rfind("SBX", 0), 0u);
  ExpectStock("happy-tea", 7, 0);
  ExpectStock("happy-mug", 4, 0);
  EXPECT_EQ(Count("payment:" + order_id, "PaymentCaptured"), 1);
  EXPECT_EQ(database().Query(absl::StrCat(
                "SELECT count(*) FROM sandbox_payment_operations WHERE operation = 'capture' "
                "AND payment_ref = 'fulfilment:",
                order_id, "/authorize'")),
            "1");

  // One correlation id ties the customer's whole flow together, every stream type of it.
  EXPECT_EQ(database().Query(
                "SELECT string_agg(DISTINCT stream_type, ',' ORDER BY stream_type) FROM events "
                "WHERE metadata->>'correlation_id' = 'corr-happy-path'"),
            "fulfilment,inventory,order,payment,shipment");
  // So does one trace (DESIGN §13): the customer's commands, the saga's commands (the timers'
  // too: payment) and the saga's own events all carry the client's trace id, each from a
  // span of its own, never the client's.
  EXPECT_EQ(
      database().Query("SELECT string_agg(DISTINCT metadata->>'trace_id', ',') || ' ' || "
                       "count(*) FILTER (WHERE metadata->>'traceparent' NOT LIKE '00-' || "
                       "(metadata->>'trace_id') || '-________________-01') || ' ' || "
                       "count(*) FILTER (WHERE metadata->>'traceparent' LIKE '%00f067aa0ba902b7%') "
                       "FROM events WHERE metadata->>'correlation_id' = 'corr-happy-path'"),
      trace_id + " 0 0");
  // The saga's history is every step, as events.
  ordo::v1::GetFulfilmentHistoryRequest history_request;
  history_request.set_order_id(order_id);
  ordo::v1::GetOrderHistoryResponse history;
  ASSERT_TRUE(
      fulfilments_->GetFulfilmentHistory(ClientContext().get(), history_request, &history).ok());
  std::vector<std::string> types;
  for (const auto& e : history.events()) {
    types.push_back(e.event_type());
    // The history API shows each event's trace.
    EXPECT_EQ(e.metadata().fields().at("trace_id").string_value(), trace_id) << e.event_type();
  }
  EXPECT_EQ(types,
            (std::vector<std::string>{"FulfilmentStarted", "FulfilmentLineReserved",
                                      "FulfilmentLineReserved", "FulfilmentPaymentRequested",
                                      "FulfilmentShipmentRequested", "FulfilmentShipmentDispatched",
                                      "FulfilmentShipped", "FulfilmentCompleted"}));
  // Each saga command's causation is the event that triggered it.
  EXPECT_EQ(database().Query(
                absl::StrCat("SELECT count(*) FROM events c JOIN events t ON t.event_id::text = "
                             "c.metadata->>'causation_id' WHERE c.stream_id = 'payment:",
                             order_id, "' AND c.event_type = 'PaymentRequested'")),
            "1");
}

TEST_F(FulfilmentE2eTest, OutOfStockReleasesWhatWasReservedAndCancels) {
  Receive("oos-tea", 10);
  Receive("oos-rare", 1);
  const std::string order_id = PlaceOrder("c-oos", {{"oos-tea", 2}, {"oos-rare", 2}});
  Fulfilment f = WaitForState(order_id, ordo::v1::FULFILMENT_STATE_CANCELLED);
  EXPECT_EQ(f.reason(), "OUT_OF_STOCK");
  EXPECT_EQ(f.detail(), "out of stock: oos-rare");
  EXPECT_EQ(f.payment().status(), ordo::v1::PAYMENT_STATUS_UNSPECIFIED);
  const ordo::v1::Order order = WaitForOrder(order_id, ordo::v1::ORDER_STATUS_CANCELLED);
  EXPECT_EQ(order.cancel_reason(), "out of stock: oos-rare");
  ExpectStock("oos-tea", 10, 0);
  ExpectStock("oos-rare", 1, 0);
  EXPECT_EQ(Count("inventory:oos-tea", "StockReleased"), 1);
}

TEST_F(FulfilmentE2eTest, ADeclinedPaymentReleasesAndCancels) {
  Receive("decl-tea", 10);
  const std::string order_id = PlaceOrder("decline-alice", {{"decl-tea", 4}});
  Fulfilment f = WaitForState(order_id, ordo::v1::FULFILMENT_STATE_CANCELLED);
  EXPECT_EQ(f.reason(), "PAYMENT_DECLINED");
  EXPECT_EQ(f.payment().status(), ordo::v1::PAYMENT_STATUS_DECLINED);
  WaitForOrder(order_id, ordo::v1::ORDER_STATUS_CANCELLED);
  ExpectStock("decl-tea", 10, 0);
  EXPECT_EQ(Count("payment:" + order_id, "PaymentCaptured"), 0);
}

TEST_F(FulfilmentE2eTest, ATotalAboveTheLimitIsDeclined) {
  Receive("limit-gold", 10000);
  const std::string order_id = PlaceOrder("c-rich", {{"limit-gold", 5000}});  // 12,500.00
  Fulfilment f = WaitForState(order_id, ordo::v1::FULFILMENT_STATE_CANCELLED);
  EXPECT_EQ(f.reason(), "PAYMENT_DECLINED");
  ExpectStock("limit-gold", 10000, 0);
}

TEST_F(FulfilmentE2eTest, AnUnansweredPaymentTimesOutIsVoidedAndCancels) {
  Receive("slow-tea", 10);
  const std::string order_id = PlaceOrder("timeout-bob", {{"slow-tea", 1}});
  WaitForState(order_id, ordo::v1::FULFILMENT_STATE_AUTHORIZING_PAYMENT);
  Fulfilment f = WaitForState(order_id, ordo::v1::FULFILMENT_STATE_CANCELLED,
                              kPaymentTimeout + absl::Seconds(20));
  EXPECT_EQ(f.reason(), "PAYMENT_TIMEOUT");
  EXPECT_EQ(f.payment().status(), ordo::v1::PAYMENT_STATUS_VOIDED);
  WaitForOrder(order_id, ordo::v1::ORDER_STATUS_CANCELLED);
  ExpectStock("slow-tea", 10, 0);
  // Voided at the gateway too, so a late authorisation can never be captured.
  EXPECT_TRUE(testing::WaitUntil(
      [&] {
        return database().Query(absl::StrCat(
                   "SELECT count(*) FROM sandbox_payment_operations WHERE operation = 'void' "
                   "AND payment_ref = 'fulfilment:",
                   order_id, "/authorize'")) == "1";
      },
      absl::Seconds(10)));
}

TEST_F(FulfilmentE2eTest, ACustomerCancelWhileThePaymentIsPendingUndoesEverything) {
  Receive("cancel-tea", 10);
  const std::string order_id = PlaceOrder("timeout-carol", {{"cancel-tea", 2}});
  WaitForState(order_id, ordo::v1::FULFILMENT_STATE_AUTHORIZING_PAYMENT);
  ordo::v1::CancelOrderRequest cancel;
  cancel.set_order_id(order_id);
  cancel.set_reason("changed my mind");
  ordo::v1::CommandResult cancelled;
  ASSERT_TRUE(orders_->CancelOrder(ClientContext().get(), cancel, &cancelled).ok());
  Fulfilment f = WaitForState(order_id, ordo::v1::FULFILMENT_STATE_CANCELLED);
  EXPECT_EQ(f.reason(), "ORDER_CANCELLED");
  EXPECT_EQ(f.detail(), "order cancelled: changed my mind");
  EXPECT_EQ(f.payment().status(), ordo::v1::PAYMENT_STATUS_VOIDED);
  ExpectStock("cancel-tea", 10, 0);
  EXPECT_EQ(Count("payment:" + order_id, "PaymentVoided"), 1);
}

TEST_F(FulfilmentE2eTest, ACustomerCancelRacingTheFlowAlwaysEndsCancelledWithTheStockBack) {
  Receive("race-tea", 100);
  std::vector<std::string> ids;
  for (int i = 0; i < 10; ++i) {
    const std::string order_id = PlaceOrder(absl::StrCat("c-race-", i), {{"race-tea", 1}});
    ordo::v1::CancelOrderRequest cancel;
    cancel.set_order_id(order_id);
    cancel.set_reason("race");
    ordo::v1::CommandResult cancelled;
    // Refused once the order shipped; both outcomes are fine, the end state is checked.
    (void)orders_->CancelOrder(ClientContext().get(), cancel, &cancelled);
    ids.push_back(order_id);
  }
  int shipped = 0;
  for (const std::string& order_id : ids) {
    Fulfilment f;
    ASSERT_TRUE(testing::WaitUntil(
        [&] {
          return GetFulfilment(order_id, &f).ok() &&
                 (f.state() == ordo::v1::FULFILMENT_STATE_CANCELLED ||
                  f.state() == ordo::v1::FULFILMENT_STATE_COMPLETED);
        },
        absl::Seconds(30)))
        << order_id << " " << f.DebugString();
    if (f.state() == ordo::v1::FULFILMENT_STATE_COMPLETED) {
      ++shipped;
      EXPECT_EQ(Count("payment:" + order_id, "PaymentCaptured"), 1);
    } else {
      EXPECT_EQ(f.reason(), "ORDER_CANCELLED");
      EXPECT_EQ(Count("payment:" + order_id, "PaymentCaptured"), 0);
    }
  }
  ExpectStock("race-tea", 100 - shipped, 0);
}

TEST_F(FulfilmentE2eTest, AnInputThatContradictsTheSagaIsParkedAndVisible) {
  Receive("park-tea", 10);
  const std::string order_id = PlaceOrder("timeout-erin", {{"park-tea", 1}});
  WaitForState(order_id, ordo::v1::FULFILMENT_STATE_AUTHORIZING_PAYMENT);
  // Shipped by hand before its payment was authorised: the saga cannot explain that.
  ordo::v1::ShipOrderRequest ship;
  ship.set_order_id(order_id);
  ship.set_tracking_number("BY-HAND-1");
  ordo::v1::CommandResult shipped;
  ASSERT_TRUE(orders_->ShipOrder(ClientContext().get(), ship, &shipped).ok());
  auto projections = ordo::v1::ProjectionService::NewStub(stack_->query().channel());
  ordo::v1::ListDeadLettersRequest request;
  request.set_projection("fulfilment");
  ordo::v1::ListDeadLettersResponse letters;
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        return projections->ListDeadLetters(ClientContext().get(), request, &letters).ok() &&
               letters.dead_letters_size() > 0;
      },
      absl::Seconds(30)));
  const ordo::v1::DeadLetter& letter = letters.dead_letters(0);
  EXPECT_EQ(letter.stream_id(), order_id);
  EXPECT_EQ(letter.event_type(), "OrderShipped");
  EXPECT_NE(letter.error().find("shipped while its fulfilment was authorizing payment"),
            std::string::npos)
      << letter.error();
  EXPECT_EQ(letter.status(), "parked");
  // The saga carries on with every other stream: the deadline still cancels and releases.
  Fulfilment f = WaitForState(order_id, ordo::v1::FULFILMENT_STATE_CANCELLED);
  EXPECT_EQ(f.reason(), "PAYMENT_TIMEOUT");
  ExpectStock("park-tea", 10, 0);
  // Discarded, so the rest of the suite sees no parked letters.
  ordo::v1::DiscardDeadLetterRequest discard;
  discard.set_id(letter.id());
  discard.set_reason("shipped by hand in a test");
  ordo::v1::DeadLetter discarded;
  EXPECT_TRUE(projections->DiscardDeadLetter(ClientContext().get(), discard, &discarded).ok());
}

TEST_F(FulfilmentE2eTest, TheSagaRidesOutADatabaseOutageWithoutLosingAStep) {
  Receive("outage-tea", 10);
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    ids.push_back(PlaceOrder(absl::StrCat("c-outage-", i), {{"outage-tea", 1}}));
  }
  // The database goes away under the saga mid-flow: every session of it ends and new ones
  // are refused, until it is back.
  pqxx::connection admin(std::getenv("ORDO_TEST_DATABASE_URL"));
  pqxx::nontransaction sql(admin);
  const std::string name = sql.quote_name(database().name());
  sql.exec("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
  sql.exec_params("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
                  database().name());
  // The saga noticed (its lease or a step failed) and keeps trying.
  const bool noticed = saga_->WaitForOutput("retrying", absl::Seconds(20)).has_value();
  sql.exec("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
  ASSERT_TRUE(noticed) << saga_->Output();
  for (const std::string& order_id : ids) {
    WaitForState(order_id, ordo::v1::FULFILMENT_STATE_COMPLETED);
    EXPECT_EQ(Count("payment:" + order_id, "PaymentCaptured"), 1);
  }
  ExpectStock("outage-tea", 7, 0);
  // ordo-command's sessions ended too: a call may fail UNAVAILABLE once before it
  // reconnects. The tests after this one need it back.
  ordo::v1::ReceiveStockRequest probe;
  probe.set_sku("outage-probe");
  probe.set_quantity(1);
  ordo::v1::StockResult result;
  EXPECT_TRUE(testing::WaitUntil(
      [&] { return inventory_->ReceiveStock(ClientContext().get(), probe, &result).ok(); },
      absl::Seconds(10)));
}

TEST_F(FulfilmentE2eTest, SigtermStopsAStandbySagaCleanly) {
  std::unique_ptr<testing::ChildProcess> standby =
      StartSaga(database().ServiceUrl({"ordo_saga"}), false);
  standby->Signal(SIGTERM);
  EXPECT_EQ(standby->WaitForExit(absl::Seconds(10)), 0) << standby->Output();
  EXPECT_TRUE(standby->WaitForOutput("stopped", absl::Seconds(1)));
}

TEST_F(FulfilmentE2eTest, TheStandbyTakesOverWhenTheActiveSagaIsKilled) {
  std::unique_ptr<testing::ChildProcess> standby =
      StartSaga(database().ServiceUrl({"ordo_saga"}), false);
  Receive("failover-tea", 1000);
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(PlaceOrder(absl::StrCat("c-failover-", i), {{"failover-tea", 1}}));
  }
  // Mid-flow: the first fulfilment has started, the last ones are still on their way.
  Fulfilment first;
  ASSERT_TRUE(
      testing::WaitUntil([&] { return GetFulfilment(ids[0], &first).ok(); }, absl::Seconds(20)));
  saga_->Signal(SIGKILL);
  saga_->WaitForExit(absl::Seconds(10));
  for (int i = 5; i < 10; ++i) {
    ids.push_back(PlaceOrder(absl::StrCat("c-failover-", i), {{"failover-tea", 1}}));
  }
  for (const std::string& order_id : ids) {
    WaitForState(order_id, ordo::v1::FULFILMENT_STATE_COMPLETED);
    EXPECT_EQ(Count("payment:" + order_id, "PaymentCaptured"), 1);
  }
  EXPECT_EQ(Count("inventory:failover-tea", "StockReserved"), 10);
  EXPECT_TRUE(standby->WaitForOutput("subscriber fulfilment: active", absl::Seconds(1)));
  ExpectStock("failover-tea", 990, 0);
  // The standby carries on for the rest of the suite.
  delete saga_;
  saga_ = standby.release();
}

}  // namespace
}  // namespace ordo
