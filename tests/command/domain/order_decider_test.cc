// Tests of the Order aggregate's rules: state transitions, line merging, and the line and
// unit limits that depend on the order's state.
#include "command/domain/order_decider.h"

#include <gtest/gtest.h>

#include <string>

#include "command/domain/order.h"
#include "command/domain/order_limits.h"

namespace ordo::domain {
namespace {

using ordo::v1::OrderEvent;

// Decides `command` on `order`, applies the events, and returns the status.
absl::Status Execute(Order& order, const OrderCommand& command) {
  absl::StatusOr<std::vector<OrderEvent>> events = Decide(order, command);
  if (!events.ok()) return events.status();
  for (const OrderEvent& event : *events) Apply(order, event);
  return absl::OkStatus();
}

Order Created() {
  Order order;
  EXPECT_TRUE(Execute(order, CreateOrder{"o-1", "c-1", "EUR"}).ok());
  return order;
}

Order WithOneLine() {
  Order order = Created();
  EXPECT_TRUE(Execute(order, AddItem{"o-1", "sku-1", 2, 150}).ok());
  return order;
}

Order Confirmed() {
  Order order = WithOneLine();
  EXPECT_TRUE(Execute(order, ConfirmOrder{"o-1"}).ok());
  return order;
}

TEST(OrderAggregate, CreateMakesAPendingOrderAtVersion1) {
  Order order = Created();
  EXPECT_TRUE(order.exists());
  EXPECT_EQ(order.version, 1);
  EXPECT_EQ(order.status, OrderStatus::kPending);
  EXPECT_EQ(order.customer_id, "c-1");
  EXPECT_EQ(order.currency, "EUR");
}

TEST(OrderAggregate, RejectsCreateWhenTheOrderExists) {
  Order order = Created();
  EXPECT_EQ(Execute(order, CreateOrder{"o-1", "c-2", "USD"}).code(),
            absl::StatusCode::kAlreadyExists);
}

TEST(OrderAggregate, EveryOtherCommandNeedsAnExistingOrder) {
  Order none;
  for (const OrderCommand& command :
       {OrderCommand{AddItem{"o-9", "s", 1, 1}}, OrderCommand{RemoveItem{"o-9", "s"}},
        OrderCommand{ConfirmOrder{"o-9"}}, OrderCommand{ShipOrder{"o-9", "T"}},
        OrderCommand{CancelOrder{"o-9", ""}}}) {
    absl::Status status = Execute(none, command);
    EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << status;
    EXPECT_NE(status.message().find("o-9"), std::string::npos);
  }
}

TEST(OrderAggregate, SameSkuAddsToItsQuantity) {
  Order order = WithOneLine();
  ASSERT_TRUE(Execute(order, AddItem{"o-1", "sku-1", 3, 150}).ok());
  ASSERT_EQ(order.lines.size(), 1u);
  EXPECT_EQ(order.lines["sku-1"].quantity, 5);
  EXPECT_EQ(order.total_units, 5);
  EXPECT_EQ(order.version, 3);
}

TEST(OrderAggregate, RejectsSameSkuAtADifferentPrice) {
  Order order = WithOneLine();
  EXPECT_EQ(Execute(order, AddItem{"o-1", "sku-1", 1, 151}).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(OrderAggregate, RemoveItemDropsTheLine) {
  Order order = WithOneLine();
  ASSERT_TRUE(Execute(order, RemoveItem{"o-1", "sku-1"}).ok());
  EXPECT_TRUE(order.lines.empty());
  EXPECT_EQ(order.total_units, 0);
}

TEST(OrderAggregate, RejectsRemovingASkuNotOnTheOrder) {
  Order order = WithOneLine();
  EXPECT_EQ(Execute(order, RemoveItem{"o-1", "sku-2"}).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(OrderAggregate, RejectsConfirmWithoutLines) {
  Order order = Created();
  absl::Status status = Execute(order, ConfirmOrder{"o-1"});
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("at least one line"), std::string::npos) << status;
}

TEST(OrderAggregate, ConfirmsAPendingOrderWithLines) {
  Order order = Confirmed();
  EXPECT_EQ(order.status, OrderStatus::kConfirmed);
}

TEST(OrderAggregate, RejectsConfirmTwice) {
  Order order = Confirmed();
  EXPECT_EQ(Execute(order, ConfirmOrder{"o-1"}).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(OrderAggregate, RejectsItemChangesOnceConfirmed) {
  Order order = Confirmed();
  EXPECT_EQ(Execute(order, AddItem{"o-1", "sku-2", 1, 1}).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Execute(order, RemoveItem{"o-1", "sku-1"}).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(OrderAggregate, ShipsOnlyAConfirmedOrder) {
  Order pending = WithOneLine();
  EXPECT_EQ(Execute(pending, ShipOrder{"o-1", "T"}).code(), absl::StatusCode::kFailedPrecondition);
  Order order = Confirmed();
  ASSERT_TRUE(Execute(order, ShipOrder{"o-1", "T"}).ok());
  EXPECT_EQ(order.status, OrderStatus::kShipped);
  EXPECT_EQ(Execute(order, ShipOrder{"o-1", "T"}).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(OrderAggregate, CancelsPendingAndConfirmedOrders) {
  Order pending = Created();
  ASSERT_TRUE(Execute(pending, CancelOrder{"o-1", "changed my mind"}).ok());
  EXPECT_EQ(pending.status, OrderStatus::kCancelled);
  Order confirmed = Confirmed();
  ASSERT_TRUE(Execute(confirmed, CancelOrder{"o-1", ""}).ok());
  EXPECT_EQ(confirmed.status, OrderStatus::kCancelled);
}

TEST(OrderAggregate, RejectsCancelOnceShippedOrCancelled) {
  Order shipped = Confirmed();
  ASSERT_TRUE(Execute(shipped, ShipOrder{"o-1", "T"}).ok());
  EXPECT_EQ(Execute(shipped, CancelOrder{"o-1", ""}).code(), absl::StatusCode::kFailedPrecondition);
  Order cancelled = Created();
  ASSERT_TRUE(Execute(cancelled, CancelOrder{"o-1", ""}).ok());
  EXPECT_EQ(Execute(cancelled, CancelOrder{"o-1", ""}).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Execute(cancelled, AddItem{"o-1", "s", 1, 1}).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(OrderAggregate, HoldsAtMost100DistinctLines) {
  Order order = Created();
  for (int i = 0; i < kMaxLinesPerOrder; ++i) {
    ASSERT_TRUE(Execute(order, AddItem{"o-1", "sku-" + std::to_string(i), 1, 1}).ok()) << i;
  }
  absl::Status status = Execute(order, AddItem{"o-1", "sku-new", 1, 1});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message().substr(0, 4), "sku:") << status;
  // An existing line can still grow.
  EXPECT_TRUE(Execute(order, AddItem{"o-1", "sku-0", 1, 1}).ok());
}

TEST(OrderAggregate, HoldsAtMostOneMillionUnits) {
  Order order = Created();
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(Execute(order, AddItem{"o-1", "sku-" + std::to_string(i), 10000, 1}).ok()) << i;
  }
  EXPECT_EQ(order.total_units, kMaxUnitsPerOrder);
  ASSERT_TRUE(Execute(order, RemoveItem{"o-1", "sku-0"}).ok());
  ASSERT_TRUE(Execute(order, AddItem{"o-1", "sku-0", 9999, 1}).ok());  // 999,999 units
  ASSERT_TRUE(Execute(order, AddItem{"o-1", "sku-0", 1, 1}).ok());     // exactly 1,000,000
  absl::Status status = Execute(order, AddItem{"o-1", "sku-0", 1, 1});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message().substr(0, 9), "quantity:") << status;
}

TEST(OrderAggregate, RejectedCommandsEmitNothing) {
  Order order = Created();
  EXPECT_FALSE(Decide(order, ConfirmOrder{"o-1"}).ok());
  EXPECT_EQ(order.version, 1);
}

}  // namespace
}  // namespace ordo::domain
