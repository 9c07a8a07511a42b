// Tests of the Shipment aggregate's rules (DESIGN §11): dispatch only a requested
// shipment, cancel until delivered, repeats are no-ops.
#include "command/domain/shipment/shipment_decider.h"

#include <gtest/gtest.h>

namespace ordo::domain {
namespace {

using ordo::v1::ShipmentEvent;

absl::StatusOr<std::vector<ShipmentEvent>> Execute(Shipment& shipment, const ShipmentCommand& c) {
  absl::StatusOr<std::vector<ShipmentEvent>> events = Decide(shipment, c);
  if (events.ok()) {
    for (const ShipmentEvent& event : *events) Apply(shipment, event);
  }
  return events;
}

TEST(ShipmentAggregate, RequestedDispatchedDelivered) {
  Shipment shipment;
  ASSERT_EQ(Execute(shipment, RequestShipment{"o1"})->size(), 1u);
  EXPECT_TRUE(Execute(shipment, RequestShipment{"o1"})->empty());
  ASSERT_EQ(Execute(shipment, DispatchShipment{"o1", "SBX1", "sandbox"})->size(), 1u);
  EXPECT_TRUE(Execute(shipment, DispatchShipment{"o1", "SBX1", "sandbox"})->empty());
  EXPECT_EQ(shipment.tracking_number, "SBX1");
  ASSERT_EQ(Execute(shipment, DeliverShipment{"o1"})->size(), 1u);
  EXPECT_TRUE(absl::IsFailedPrecondition(Execute(shipment, CancelShipment{"o1", "x"}).status()));
}

TEST(ShipmentAggregate, ACancelledShipmentIsNeverDispatched) {
  Shipment shipment;
  ASSERT_TRUE(Execute(shipment, RequestShipment{"o1"}).ok());
  ASSERT_EQ(Execute(shipment, CancelShipment{"o1", "order cancelled"})->size(), 1u);
  EXPECT_TRUE(Execute(shipment, CancelShipment{"o1", "again"})->empty());
  EXPECT_TRUE(absl::IsFailedPrecondition(
      Execute(shipment, DispatchShipment{"o1", "SBX1", "sandbox"}).status()));
}

TEST(ShipmentAggregate, CancelWithoutAShipmentIsANoOp) {
  Shipment shipment;
  EXPECT_TRUE(Execute(shipment, CancelShipment{"o1", ""})->empty());
  EXPECT_TRUE(absl::IsFailedPrecondition(
      Execute(shipment, DispatchShipment{"o1", "SBX1", "sandbox"}).status()));
}

TEST(ShipmentAggregate, ValidationNamesTheField) {
  EXPECT_EQ(
      ValidateCommand(DispatchShipment{"o1", "", "sandbox"}).message().rfind("tracking_number", 0),
      0u);
  EXPECT_EQ(ValidateCommand(DispatchShipment{"o1", "SBX1", ""}).message().rfind("carrier", 0), 0u);
  EXPECT_EQ(ValidateCommand(RequestShipment{""}).message().rfind("order_id", 0), 0u);
}

}  // namespace
}  // namespace ordo::domain
