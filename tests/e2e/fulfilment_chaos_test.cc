// Fulfilment under chaos (DESIGN §11): 200 orders over 20 SKUs with scarce stock from 8
// concurrent clients, some customers declined, some never answered (a 1 s payment
// timeout), some cancelling, while ordo-saga is killed (-9) and restarted again and again.
// At the end every confirmed order is COMPLETED or CANCELLED with a reason, and the log
// proves the invariants: stock never negative and equal to its read model, no cancelled
// order holding a reservation or a charge, exactly one capture per shipped order, no
// request applied twice.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <memory>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "ordo/v1/command_service.grpc.pb.h"
#include "ordo/v1/fulfilment_query_service.grpc.pb.h"
#include "ordo/v1/inventory_command_service.grpc.pb.h"
#include "support/child_process.h"
#include "support/ordo_stack.h"
#include "support/service_process.h"
#include "support/wait.h"

namespace ordo {
namespace {

using testing::ClientContext;

constexpr int kClients = 8;
constexpr int kOrdersPerClient = 25;
constexpr int kSkus = 20;
constexpr int kUnitsPerSku = 12;

std::unique_ptr<testing::ChildProcess> StartSaga(const std::string& database_url) {
  return std::make_unique<testing::ChildProcess>(
      std::vector<std::string>{ORDO_SAGA_BINARY, "--database_url=" + database_url,
                               "--payment_timeout=1s", "--carrier_delay=20ms"});
}

std::string Sku(int i) { return absl::StrCat("chaos-sku-", i); }

// Places one order: 1 to 3 lines, confirmed; some cancelled by their customer right after.
// Returns the order id, or "" when a call failed (the order is then not counted).
std::string PlaceOrder(ordo::v1::OrderCommandService::Stub& orders, int n, std::mt19937& rng) {
  std::string customer = absl::StrCat("customer-", n);
  if (n % 10 == 3) customer = absl::StrCat("decline-", n);
  if (n % 10 == 7) customer = absl::StrCat("timeout-", n);
  ordo::v1::CreateOrderRequest create;
  create.set_request_id(absl::StrCat("chaos-create-", n));
  create.set_customer_id(customer);
  create.set_currency("EUR");
  ordo::v1::CommandResult result;
  if (!orders.CreateOrder(ClientContext().get(), create, &result).ok()) return "";
  const std::string order_id = result.order_id();
  const int lines = 1 + static_cast<int>(rng() % 3);
  for (int l = 0; l < lines; ++l) {
    ordo::v1::AddItemRequest add;
    add.set_request_id(absl::StrCat("chaos-add-", n, "-", l));
    add.set_order_id(order_id);
    add.set_sku(Sku(static_cast<int>(rng() % kSkus)));
    add.set_quantity(1 + static_cast<int>(rng() % 3));
    add.set_unit_price_cents(500);
    if (!orders.AddItem(ClientContext().get(), add, &result).ok()) return "";
  }
  ordo::v1::ConfirmOrderRequest confirm;
  confirm.set_request_id(absl::StrCat("chaos-confirm-", n));
  confirm.set_order_id(order_id);
  if (!orders.ConfirmOrder(ClientContext().get(), confirm, &result).ok()) return "";
  if (n % 10 == 5) {
    ordo::v1::CancelOrderRequest cancel;
    cancel.set_request_id(absl::StrCat("chaos-cancel-", n));
    cancel.set_order_id(order_id);
    cancel.set_reason("changed my mind");
    // Refused once the order shipped: either way the fulfilment must end well.
    (void)orders.CancelOrder(ClientContext().get(), cancel, &result);
  }
  return order_id;
}

TEST(FulfilmentChaosTest, EveryOrderEndsWellAndTheLogKeepsEveryInvariant) {
  testing::OrdoStack stack({ORDO_COMMAND_BINARY, ORDO_PROJECTOR_BINARY, ORDO_QUERY_BINARY});
  ASSERT_TRUE(stack.started());
  testing::TestDatabase& db = stack.database();
  auto inventory = ordo::v1::InventoryCommandService::NewStub(stack.command().channel());
  for (int i = 0; i < kSkus; ++i) {
    ordo::v1::ReceiveStockRequest receive;
    receive.set_sku(Sku(i));
    receive.set_quantity(kUnitsPerSku);
    ordo::v1::StockResult stock;
    ASSERT_TRUE(inventory->ReceiveStock(ClientContext().get(), receive, &stock).ok());
  }

  // The saga, killed -9 and restarted every 700 ms while the orders come in, and at least
  // six times.
  absl::Mutex mu;
  std::unique_ptr<testing::ChildProcess> saga = StartSaga(db.ServiceUrl({"ordo_saga"}));
  // Active: its checkpoint is at the head of the log, so every order from now on is its.
  ASSERT_TRUE(saga->WaitForOutput("subscriber fulfilment: active", absl::Seconds(20)));
  std::atomic<bool> placing{true};
  std::atomic<int> kills{0};
  std::thread killer([&] {
    while (placing || kills < 6) {
      absl::SleepFor(absl::Milliseconds(700));  // the chaos' own pace, not a wait
      absl::MutexLock lock(&mu);
      saga->Signal(SIGKILL);
      saga->WaitForExit(absl::Seconds(10));
      saga = StartSaga(db.ServiceUrl({"ordo_saga"}));
      ++kills;
    }
  });

  std::vector<std::string> order_ids;
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      auto orders = ordo::v1::OrderCommandService::NewStub(stack.command().channel());
      std::mt19937 rng(c);
      for (int i = 0; i < kOrdersPerClient; ++i) {
        std::string id = PlaceOrder(*orders, c * kOrdersPerClient + i, rng);
        {
          absl::MutexLock lock(&mu);
          if (!id.empty()) order_ids.push_back(id);
        }
        // Spread over the kills: a few orders a second per client.
        absl::SleepFor(absl::Milliseconds(100));
      }
    });
  }
  for (auto& client : clients) client.join();
  placing = false;
  killer.join();
  ASSERT_EQ(order_ids.size(), static_cast<size_t>(kClients * kOrdersPerClient));
  EXPECT_GE(kills.load(), 6);

  // Every confirmed order reaches COMPLETED or CANCELLED with a reason.
  auto fulfilments = ordo::v1::FulfilmentQueryService::NewStub(stack.query().channel());
  int completed = 0, cancelled = 0;
  for (const std::string& order_id : order_ids) {
    ordo::v1::GetFulfilmentRequest request;
    request.set_order_id(order_id);
    ordo::v1::Fulfilment f;
    ASSERT_TRUE(testing::WaitUntil(
        [&] {
          return fulfilments->GetFulfilment(ClientContext().get(), request, &f).ok() &&
                 (f.state() == ordo::v1::FULFILMENT_STATE_COMPLETED ||
                  f.state() == ordo::v1::FULFILMENT_STATE_CANCELLED);
        },
        absl::Seconds(120)))
        << order_id << ": " << f.DebugString() << "\nits events: "
        << db.Query(absl::StrCat("SELECT string_agg(stream_id || ' ' || event_type, ', ' ORDER BY "
                                 "global_position) FROM events WHERE stream_id LIKE '%",
                                 order_id, "'"))
        << "\ndead letters: " << db.Query("SELECT string_agg(error, '; ') FROM dead_letters")
        << "\n"
        << saga->Output();
    if (f.state() == ordo::v1::FULFILMENT_STATE_COMPLETED) {
      ++completed;
    } else {
      ++cancelled;
      EXPECT_FALSE(f.reason().empty()) << order_id;
    }
  }
  EXPECT_GT(completed, 0);
  EXPECT_GT(cancelled, 0);
  for (const char* reason : {"OUT_OF_STOCK", "PAYMENT_DECLINED", "PAYMENT_TIMEOUT"}) {
    EXPECT_NE(
        db.Query(absl::StrCat("SELECT count(*) FROM fulfilments WHERE reason = '", reason, "'")),
        "0")
        << reason;
  }

  // Stock, recomputed from the events in each SKU's version order: never negative,
  // never oversold.
  constexpr char kStockHistory[] = R"sql(
    WITH moves AS (
      SELECT stream_id, version,
             CASE event_type WHEN 'StockReceived' THEN (payload->>'quantity')::bigint
                             WHEN 'StockCommitted' THEN -(payload->>'quantity')::bigint
                             ELSE 0 END AS on_hand,
             CASE event_type WHEN 'StockReserved' THEN (payload->>'quantity')::bigint
                             WHEN 'StockReleased' THEN -(payload->>'quantity')::bigint
                             WHEN 'StockCommitted' THEN -(payload->>'quantity')::bigint
                             ELSE 0 END AS reserved
        FROM events WHERE stream_type = 'inventory'),
    running AS (
      SELECT stream_id,
             sum(on_hand) OVER w AS on_hand, sum(reserved) OVER w AS reserved
        FROM moves WINDOW w AS (PARTITION BY stream_id ORDER BY version))
    )sql";
  EXPECT_EQ(db.Query(absl::StrCat(kStockHistory,
                                  "SELECT count(*) FROM running WHERE on_hand < 0 "
                                  "OR reserved < 0 OR on_hand - reserved < 0")),
            "0");
  // The read model agrees with the log once it has caught up, and nothing is left reserved.
  const std::string read_model_disagrees = absl::StrCat(
      kStockHistory,
      ", final AS (SELECT stream_id, sum(on_hand) AS on_hand, sum(reserved) AS reserved "
      "FROM moves GROUP BY stream_id) SELECT count(*) FROM final f LEFT JOIN stock_levels s "
      "ON f.stream_id = 'inventory:' || s.sku WHERE s.sku IS NULL OR s.on_hand <> f.on_hand OR "
      "s.reserved <> f.reserved OR s.available <> f.on_hand - f.reserved");
  EXPECT_TRUE(
      testing::WaitUntil([&] { return db.Query(read_model_disagrees) == "0"; }, absl::Seconds(30)))
      << db.Query(read_model_disagrees) << " SKUs disagree";
  EXPECT_EQ(db.Query("SELECT count(*) FROM stock_levels WHERE reserved <> 0"), "0");

  // No cancelled order holds a reservation, an uncaptured authorisation or a capture.
  constexpr char kOpenReservations[] = R"sql(
    SELECT count(*) FROM (
      SELECT e.payload->>'order_id' AS order_id, e.stream_id,
             sum(CASE e.event_type WHEN 'StockReserved' THEN 1
                                   WHEN 'StockReleased' THEN -1
                                   WHEN 'StockCommitted' THEN -1 ELSE 0 END) AS open
        FROM events e WHERE e.stream_type = 'inventory' GROUP BY 1, 2) r
     WHERE r.open <> 0)sql";
  EXPECT_EQ(db.Query(kOpenReservations), "0");
  EXPECT_EQ(db.Query("SELECT count(*) FROM fulfilments f JOIN events e ON e.stream_id = "
                     "'payment:' || f.order_id AND e.event_type = 'PaymentCaptured' "
                     "WHERE f.state = 'CANCELLED'"),
            "0");
  EXPECT_EQ(db.Query("SELECT count(*) FROM fulfilments f WHERE f.state = 'CANCELLED' AND "
                     "EXISTS (SELECT 1 FROM events a WHERE a.stream_id = 'payment:' || f.order_id "
                     "AND a.event_type = 'PaymentAuthorized') AND NOT EXISTS (SELECT 1 FROM events "
                     "v WHERE v.stream_id = 'payment:' || f.order_id AND v.event_type = "
                     "'PaymentVoided')"),
            "0");
  // Every shipped order was captured exactly once, in the log and at the gateway.
  EXPECT_EQ(db.Query("SELECT count(*) FROM events WHERE event_type = 'OrderShipped'"),
            std::to_string(completed));
  EXPECT_EQ(db.Query("SELECT count(*) FROM (SELECT s.stream_id FROM events s LEFT JOIN events c "
                     "ON c.stream_id = 'payment:' || s.stream_id AND c.event_type = "
                     "'PaymentCaptured' WHERE s.event_type = 'OrderShipped' GROUP BY 1 "
                     "HAVING count(c.*) <> 1) x"),
            "0");
  EXPECT_EQ(db.Query("SELECT count(*) FROM sandbox_payment_operations WHERE operation = "
                     "'capture' AND answer = 'captured'"),
            std::to_string(completed));
  // No request was applied twice: each request id's events come from one transaction.
  EXPECT_EQ(
      db.Query("SELECT count(*) FROM (SELECT metadata->>'request_id' FROM events WHERE "
               "metadata->>'request_id' <> '' GROUP BY 1 HAVING count(DISTINCT tx_id) > 1) x"),
      "0");
  // Nothing was parked: every event was handled.
  EXPECT_EQ(db.Query("SELECT count(*) FROM dead_letters"), "0");
  std::cout << "chaos: " << completed << " completed, " << cancelled << " cancelled, "
            << kills.load() << " kills of ordo-saga\n";
}

}  // namespace
}  // namespace ordo
