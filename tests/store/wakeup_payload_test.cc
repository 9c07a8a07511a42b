// The ordo_events NOTIFY payload: what an append says, and whom it wakes.
#include "store/log/wakeup_payload.h"

#include <gtest/gtest.h>

#include <string>

namespace ordo::store {
namespace {

TEST(WakeupPayloadTest, NamesTheStreamTypesThenTheEventTypes) {
  EXPECT_EQ(WakeupPayload({"inventory", "order"}, {"OrderItemAdded", "StockReserved"}),
            "inventory,order,=OrderItemAdded,=StockReserved");
  EXPECT_EQ(WakeupPayload({"order"}, {}), "order");      // event types not known
  EXPECT_EQ(WakeupPayload({}, {"OrderItemAdded"}), "");  // stream types not known
}

TEST(WakeupPayloadTest, LeavesTheEventTypesOutWhenTheyWouldNotFit) {
  std::set<std::string> many;
  for (int i = 0; i < 1000; ++i) many.insert("Event" + std::to_string(i));
  EXPECT_EQ(WakeupPayload({"order"}, many), "order");
}

TEST(WakeupPayloadTest, ASubscriberWakesUnlessThePayloadShowsNothingItWants) {
  const std::vector<std::string> order = {"order"};
  const std::vector<std::string> confirmed = {"OrderConfirmed"};
  EXPECT_TRUE(WakeupConcerns("", order, confirmed));
  EXPECT_TRUE(WakeupConcerns("order", order, confirmed));
  EXPECT_TRUE(WakeupConcerns("order,=OrderConfirmed", order, confirmed));
  EXPECT_TRUE(WakeupConcerns("order,=OrderItemAdded", order, {}));
  EXPECT_TRUE(WakeupConcerns("inventory,order,=StockAdded", {}, {}));
  EXPECT_FALSE(WakeupConcerns("order,=OrderItemAdded", order, confirmed));
  EXPECT_FALSE(WakeupConcerns("inventory,=OrderConfirmed", order, confirmed));
  EXPECT_FALSE(WakeupConcerns("inventory", order, {}));
}

}  // namespace
}  // namespace ordo::store
