// Tests of the Inventory aggregate's rules (DESIGN §9): no oversell, reservations as
// recorded outcomes, idempotent reserve and release, commit only of an open reservation,
// adjustments never below the reserved units; each on both sides of its bound.
#include "command/domain/inventory/inventory_decider.h"

#include <gtest/gtest.h>

#include "command/domain/inventory/inventory.h"
#include "command/domain/inventory/inventory_limits.h"

namespace ordo::domain {
namespace {

using ordo::v1::InventoryEvent;

// Decides `command`, applies the events, and returns them (or the refusal).
absl::StatusOr<std::vector<InventoryEvent>> Execute(Inventory& inventory,
                                                    const InventoryCommand& command) {
  absl::StatusOr<std::vector<InventoryEvent>> events = Decide(inventory, command);
  if (events.ok()) {
    for (const InventoryEvent& event : *events) Apply(inventory, event);
  }
  return events;
}

Inventory WithOnHand(int64_t units) {
  Inventory inventory;
  EXPECT_TRUE(Execute(inventory, ReceiveStock{"tea", units}).ok());
  return inventory;
}

TEST(InventoryAggregate, ReceiveCreatesTheSkuAndAddsUnits) {
  Inventory inventory = WithOnHand(10);
  EXPECT_TRUE(inventory.exists());
  EXPECT_EQ(inventory.sku, "tea");
  EXPECT_EQ(inventory.on_hand, 10);
  ASSERT_TRUE(Execute(inventory, ReceiveStock{"tea", 5}).ok());
  EXPECT_EQ(inventory.on_hand, 15);
  EXPECT_EQ(inventory.available(), 15);
  EXPECT_EQ(inventory.version, 2);
}

TEST(InventoryAggregate, ReceiveStopsAtTheOnHandLimit) {
  Inventory inventory;
  inventory.version = 1;
  inventory.on_hand = kMaxOnHand - 1;
  EXPECT_TRUE(Decide(inventory, ReceiveStock{"tea", 1}).ok());
  EXPECT_EQ(Decide(inventory, ReceiveStock{"tea", 2}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(InventoryAggregate, ReservesWhatIsAvailableAndRejectsTheRest) {
  Inventory inventory = WithOnHand(10);
  absl::StatusOr<std::vector<InventoryEvent>> reserved =
      Execute(inventory, ReserveStock{"tea", "o-1", 10});
  ASSERT_TRUE(reserved.ok());
  ASSERT_EQ(reserved->size(), 1u);
  EXPECT_TRUE((*reserved)[0].has_stock_reserved());
  EXPECT_EQ(inventory.reserved, 10);
  EXPECT_EQ(inventory.available(), 0);

  absl::StatusOr<std::vector<InventoryEvent>> rejected =
      Execute(inventory, ReserveStock{"tea", "o-2", 1});
  ASSERT_TRUE(rejected.ok()) << "a reservation that does not fit is an outcome, not an error";
  ASSERT_EQ(rejected->size(), 1u);
  ASSERT_TRUE((*rejected)[0].has_stock_reservation_rejected());
  EXPECT_EQ((*rejected)[0].stock_reservation_rejected().available(), 0);
  EXPECT_EQ(inventory.reserved, 10);
  EXPECT_EQ(inventory.reservations.count("o-2"), 0u);
}

TEST(InventoryAggregate, AReservationForASkuNeverReceivedIsRejected) {
  Inventory inventory;
  absl::StatusOr<std::vector<InventoryEvent>> rejected =
      Execute(inventory, ReserveStock{"ghost", "o-1", 1});
  ASSERT_TRUE(rejected.ok());
  ASSERT_TRUE((*rejected)[0].has_stock_reservation_rejected());
  EXPECT_EQ(inventory.available(), 0);
}

TEST(InventoryAggregate, ReservingAgainForTheSameOrderIsANoOp) {
  Inventory inventory = WithOnHand(10);
  ASSERT_TRUE(Execute(inventory, ReserveStock{"tea", "o-1", 4}).ok());
  absl::StatusOr<std::vector<InventoryEvent>> again =
      Execute(inventory, ReserveStock{"tea", "o-1", 4});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
  EXPECT_EQ(inventory.reserved, 4);
  EXPECT_EQ(Decide(inventory, ReserveStock{"tea", "o-1", 5}).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(InventoryAggregate, ReleaseGivesTheUnitsBackAndIsSafeToRepeat) {
  Inventory inventory = WithOnHand(10);
  ASSERT_TRUE(Execute(inventory, ReserveStock{"tea", "o-1", 4}).ok());
  absl::StatusOr<std::vector<InventoryEvent>> released =
      Execute(inventory, ReleaseStock{"tea", "o-1"});
  ASSERT_TRUE(released.ok());
  ASSERT_EQ(released->size(), 1u);
  EXPECT_EQ((*released)[0].stock_released().quantity(), 4);
  EXPECT_EQ(inventory.reserved, 0);
  EXPECT_EQ(inventory.on_hand, 10);
  absl::StatusOr<std::vector<InventoryEvent>> again =
      Execute(inventory, ReleaseStock{"tea", "o-1"});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
  Inventory never;
  EXPECT_TRUE(Execute(never, ReleaseStock{"ghost", "o-1"})->empty());
}

TEST(InventoryAggregate, CommitTakesTheReservedUnitsOutOnlyForAnOpenReservation) {
  Inventory inventory = WithOnHand(10);
  EXPECT_EQ(Decide(inventory, CommitStock{"tea", "o-1"}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(Execute(inventory, ReserveStock{"tea", "o-1", 4}).ok());
  ASSERT_TRUE(Execute(inventory, CommitStock{"tea", "o-1"}).ok());
  EXPECT_EQ(inventory.on_hand, 6);
  EXPECT_EQ(inventory.reserved, 0);
  EXPECT_EQ(inventory.available(), 6);
  EXPECT_EQ(Decide(inventory, CommitStock{"tea", "o-1"}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // Closed, so the order may reserve again.
  EXPECT_TRUE(Decide(inventory, ReserveStock{"tea", "o-1", 1})->at(0).has_stock_reserved());
}

TEST(InventoryAggregate, AdjustmentsNeverTakeOnHandBelowReserved) {
  Inventory inventory = WithOnHand(10);
  ASSERT_TRUE(Execute(inventory, ReserveStock{"tea", "o-1", 4}).ok());
  EXPECT_EQ(Decide(inventory, AdjustStock{"tea", -7, "counted"}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(Execute(inventory, AdjustStock{"tea", -6, "counted"}).ok());
  EXPECT_EQ(inventory.on_hand, 4);
  EXPECT_EQ(inventory.available(), 0);
  ASSERT_TRUE(Execute(inventory, AdjustStock{"tea", 3, "found a box"}).ok());
  EXPECT_EQ(inventory.on_hand, 7);
}

TEST(InventoryAggregate, AdjustingAnUnknownSkuIsNotFound) {
  Inventory inventory;
  EXPECT_EQ(Decide(inventory, AdjustStock{"ghost", 1, ""}).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace ordo::domain
