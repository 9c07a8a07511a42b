// ordo-notify against the whole stack (DESIGN §12): ordo-command, -projector, -query and
// -saga, the relay and the notifier on a real PostgreSQL and a private RabbitMQ broker that
// is killed (-9) and restarted while orders flow. Every confirmed, shipped or cancelled
// order (pending or confirmed) gets exactly one notification for its customer, served by
// ListNotifications; a message the notifier can never handle ends in ordo.notify.dlq,
// dead-lettered by the broker, and the notifier carries on.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "ordo/v1/command_service.grpc.pb.h"
#include "ordo/v1/inventory_command_service.grpc.pb.h"
#include "ordo/v1/notification_query_service.grpc.pb.h"
#include "relay/amqp_connection.h"
#include "support/child_process.h"
#include "support/ordo_stack.h"
#include "support/service_process.h"
#include "support/test_broker.h"
#include "support/wait.h"

namespace ordo {
namespace {

using testing::ClientContext;

constexpr int kOrders = 20;

std::unique_ptr<testing::ChildProcess> Start(const std::vector<std::string>& argv,
                                             const std::string& ready) {
  auto process = std::make_unique<testing::ChildProcess>(argv);
  EXPECT_TRUE(process->WaitForOutput(ready, absl::Seconds(20))) << process->Output();
  return process;
}

// Order n: "decline-" customers are declined by the sandbox gateway (cancelled by the
// saga); every fifth is cancelled by its customer before it is confirmed.
std::string PlaceOrder(ordo::v1::OrderCommandService::Stub& orders, int n) {
  const std::string customer = n % 5 == 3 ? absl::StrCat("decline-", n) : absl::StrCat("cust-", n);
  ordo::v1::CreateOrderRequest create;
  create.set_request_id(absl::StrCat("notify-create-", n));
  create.set_customer_id(customer);
  create.set_currency("EUR");
  ordo::v1::CommandResult result;
  EXPECT_TRUE(orders.CreateOrder(ClientContext().get(), create, &result).ok());
  const std::string order_id = result.order_id();
  ordo::v1::AddItemRequest add;
  add.set_request_id(absl::StrCat("notify-add-", n));
  add.set_order_id(order_id);
  add.set_sku("notify-sku");
  add.set_quantity(1);
  add.set_unit_price_cents(700);
  EXPECT_TRUE(orders.AddItem(ClientContext().get(), add, &result).ok());
  if (n % 5 == 1) {
    ordo::v1::CancelOrderRequest cancel;
    cancel.set_request_id(absl::StrCat("notify-cancel-", n));
    cancel.set_order_id(order_id);
    cancel.set_reason("changed my mind");
    EXPECT_TRUE(orders.CancelOrder(ClientContext().get(), cancel, &result).ok());
    return order_id;
  }
  ordo::v1::ConfirmOrderRequest confirm;
  confirm.set_request_id(absl::StrCat("notify-confirm-", n));
  confirm.set_order_id(order_id);
  EXPECT_TRUE(orders.ConfirmOrder(ClientContext().get(), confirm, &result).ok());
  return order_id;
}

// What a failing wait prints: how far the relay got, and for each event still without its
// notification whether the notifier ever received it; the broker's queues.
std::string WhereTheEventsAre(testing::OrdoStack& stack, const testing::TestBroker& broker) {
  const testing::TestDatabase& db = stack.database();
  return absl::StrCat(
      "\nnotifications: ", db.Query("SELECT count(*) FROM customer_notifications"),
      "; inbox rows: ", db.Query("SELECT count(*) FROM message_inbox"),
      "; last event in log order: ",
      db.Query("SELECT global_position FROM events ORDER BY tx_id DESC, global_position DESC"
               " LIMIT 1"),
      "\ncheckpoints: ",
      db.Query("SELECT string_agg(name || ' ' || global_position || ' ' || state, ', ')"
               " FROM projection_checkpoints"),
      "\nwithout a notification (position, type, in the inbox): ",
      db.Query("SELECT string_agg(e.global_position || ' ' || e.event_type || ' ' ||"
               " (i.message_id IS NOT NULL), ', ' ORDER BY e.global_position) FROM events e"
               " LEFT JOIN customer_notifications n ON n.event_id = e.event_id"
               " LEFT JOIN message_inbox i ON i.message_id = e.event_id::text"
               " WHERE e.event_type IN ('OrderConfirmed', 'OrderShipped', 'OrderCancelled')"
               " AND n.event_id IS NULL"),
      "\ndead letters: ",
      db.Query("SELECT string_agg(projection || ' ' || global_position || ' ' || error, '; ')"
               " FROM dead_letters"),
      "\nqueues:\n", broker.Diagnostics());
}

TEST(NotifyProcess, OneNotificationPerOrderEventAcrossABrokerRestartAndPoisonToTheDlq) {
  testing::TestBroker broker;
  ASSERT_TRUE(broker.started());
  testing::OrdoStack stack({ORDO_COMMAND_BINARY, ORDO_PROJECTOR_BINARY, ORDO_QUERY_BINARY});
  ASSERT_TRUE(stack.started());
  auto saga =
      Start({ORDO_SAGA_BINARY, "--database_url=" + stack.database().ServiceUrl({"ordo_saga"}),
             "--payment_timeout=2s", "--carrier_delay=20ms"},
            "subscriber fulfilment: active");
  // The notifier declares its queue before the relay publishes anything.
  auto notify =
      Start({ORDO_NOTIFY_BINARY, "--database_url=" + stack.database().ServiceUrl({"ordo_notify"}),
             "--amqp_url=" + broker.url()},
            "consuming ordo.notify");
  auto relay =
      Start({ORDO_RELAY_BINARY, "--database_url=" + stack.database().ServiceUrl({"ordo_relay"}),
             "--amqp_url=" + broker.url()},
            "subscriber relay: active");

  auto orders = ordo::v1::OrderCommandService::NewStub(stack.command().channel());
  auto inventory = ordo::v1::InventoryCommandService::NewStub(stack.command().channel());
  ordo::v1::ReceiveStockRequest stock;
  stock.set_request_id("notify-stock");
  stock.set_sku("notify-sku");
  stock.set_quantity(1000);
  ordo::v1::StockResult received;
  ASSERT_TRUE(inventory->ReceiveStock(ClientContext().get(), stock, &received).ok());

  for (int n = 0; n < kOrders / 2; ++n) PlaceOrder(*orders, n);
  broker.Kill();
  for (int n = kOrders / 2; n < kOrders; ++n) PlaceOrder(*orders, n);
  ASSERT_TRUE(broker.Restart());

  // Every order ends shipped or cancelled.
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        return stack.database().Query(
                   "SELECT count(DISTINCT stream_id) FROM events WHERE stream_type = 'order'"
                   " AND event_type IN ('OrderShipped', 'OrderCancelled')") ==
               std::to_string(kOrders);
      },
      absl::Seconds(60)))
      << saga->Output();
  const std::string expected = stack.database().Query(
      "SELECT count(*) FROM events"
      " WHERE event_type IN ('OrderConfirmed', 'OrderShipped', 'OrderCancelled')");
  ASSERT_GE(std::stoi(expected), kOrders + kOrders * 3 / 5);
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        return stack.database().Query("SELECT count(*) FROM customer_notifications") == expected;
      },
      // Generous: under a full machine (a build beside the suite) the broker's restart and
      // the backlog after it took longer than a minute once.
      absl::Seconds(120)))
      << notify->Output() << relay->Output() << WhereTheEventsAre(stack, broker);
  // Each such event has its one notification, of its kind, for the order's customer.
  EXPECT_EQ(stack.database().Query(R"sql(
SELECT count(*) FROM events e
  JOIN customer_notifications n ON n.event_id = e.event_id
  JOIN events c ON c.stream_id = e.stream_id AND c.event_type = 'OrderCreated'
 WHERE n.order_id = e.stream_id
   AND n.customer_id = c.payload->'customer'->>'id'
   AND n.kind = CASE e.event_type WHEN 'OrderConfirmed' THEN 'ORDER_CONFIRMED'
                                  WHEN 'OrderShipped' THEN 'ORDER_SHIPPED'
                                  ELSE 'ORDER_CANCELLED' END)sql"),
            expected);

  // Served newest first: cust-0's order was confirmed, then shipped with a tracking number.
  auto notifications = ordo::v1::NotificationQueryService::NewStub(stack.query().channel());
  ordo::v1::ListNotificationsRequest list;
  list.set_customer_id("cust-0");
  ordo::v1::ListNotificationsResponse page;
  ASSERT_TRUE(notifications->ListNotifications(ClientContext().get(), list, &page).ok());
  ASSERT_EQ(page.notifications_size(), 2);
  EXPECT_EQ(page.notifications(0).kind(), ordo::v1::NOTIFICATION_KIND_ORDER_SHIPPED);
  const std::string tracking = stack.database().Query(
      "SELECT payload->>'tracking_number' FROM events WHERE event_type = 'OrderShipped'"
      " AND stream_id = '" +
      page.notifications(0).order_id() + "'");
  EXPECT_TRUE(absl::StrContains(page.notifications(0).text(), tracking))
      << page.notifications(0).text();
  EXPECT_EQ(page.notifications(1).kind(), ordo::v1::NOTIFICATION_KIND_ORDER_CONFIRMED);
  list.set_customer_id("cust-1");  // cancelled while pending
  ASSERT_TRUE(notifications->ListNotifications(ClientContext().get(), list, &page).ok());
  ASSERT_EQ(page.notifications_size(), 1);
  EXPECT_EQ(page.notifications(0).kind(), ordo::v1::NOTIFICATION_KIND_ORDER_CANCELLED);
  EXPECT_TRUE(absl::StrContains(page.notifications(0).text(), "changed my mind"));
  list.set_customer_id("");
  grpc::Status refused = notifications->ListNotifications(ClientContext().get(), list, &page);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(refused.error_message(), "customer_id:"));

  // Poison: a body that is not an event, and an event of a type the notifier never handles.
  absl::StatusOr<std::unique_ptr<relay::AmqpConnection>> publisher =
      relay::AmqpConnection::Open(broker.url(), absl::Seconds(5));
  ASSERT_TRUE(publisher.ok()) << publisher.status();
  relay::OutgoingMessage garbage;
  garbage.routing_key = "order.OrderConfirmed";
  garbage.message_id = "poison-1";
  garbage.type = "OrderConfirmed";
  garbage.body = "not json";
  ASSERT_TRUE((*publisher)->Publish("ordo.events", garbage).ok());
  relay::OutgoingMessage unknown = garbage;
  unknown.message_id = "poison-2";
  unknown.body = R"({"event_id":"e","stream_id":"o","stream_type":"order","version":1,)"
                 R"("event_type":"OrderExploded","schema_version":1,"payload":{}})";
  ASSERT_TRUE((*publisher)->Publish("ordo.events", unknown).ok());
  absl::StatusOr<std::unique_ptr<relay::AmqpConnection>> dlq =
      relay::AmqpConnection::Open(broker.url(), absl::Seconds(5));
  ASSERT_TRUE(dlq.ok());
  ASSERT_TRUE((*dlq)->Consume("ordo.notify.dlq", 10).ok());
  std::vector<relay::Delivery> dead;
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        absl::StatusOr<std::optional<relay::Delivery>> d =
            (*dlq)->NextDelivery(absl::Milliseconds(200));
        if (d.ok() && d->has_value()) {
          EXPECT_TRUE((*dlq)->Ack((*d)->delivery_tag).ok());
          dead.push_back(**d);
        }
        return dead.size() == 2;
      },
      absl::Seconds(20)))
      << notify->Output();
  EXPECT_EQ(dead[0].message_id, "poison-1");
  EXPECT_EQ(dead[1].message_id, "poison-2");
  EXPECT_EQ(dead[0].headers.count("x-death"), 1u);
  EXPECT_EQ(dead[0].headers.at("x-first-death-queue"), "ordo.notify");
  EXPECT_EQ(dead[0].headers.at("x-first-death-reason"), "rejected");
  EXPECT_EQ(stack.database().Query("SELECT count(*) FROM customer_notifications"), expected);

  // Still consuming: one more order gets its notification.
  PlaceOrder(*orders, kOrders);
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        return stack.database().Query(
                   "SELECT count(*) FROM customer_notifications WHERE customer_id = 'cust-20'") ==
               "2";
      },
      absl::Seconds(30)))
      << notify->Output();
  for (auto* process : {relay.get(), notify.get(), saga.get()}) {
    process->Signal(SIGTERM);
    EXPECT_EQ(process->WaitForExit(absl::Seconds(10)), 0) << process->Output();
  }
}

}  // namespace
}  // namespace ordo
