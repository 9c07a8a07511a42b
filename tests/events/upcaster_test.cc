// Tests of schema evolution: OrderCreated v1 payloads, exactly as the code before v2 wrote
// them and jsonb prints them, read back in the v2 shape; and the chain's rules.
#include <gtest/gtest.h>

#include "events/order_events.h"
#include "events/upcaster_chain.h"
#include "events/upcasters/order_created_v1.h"

namespace ordo::events {
namespace {

// As stored by the v1 code: jsonb's key order (by length, then bytes) and spacing.
constexpr char kRecordedV1[] =
    R"({"currency": "EUR", "order_id": "order-1", "customer_id": "customer-7"})";

TEST(OrderCreatedUpcaster, LiftsV1ToTheV2Shape) {
  absl::StatusOr<std::string> v2 = UpcastOrderCreatedV1(kRecordedV1);
  ASSERT_TRUE(v2.ok()) << v2.status();
  EXPECT_EQ(*v2,
            R"({"currency":"EUR","order_id":"order-1","customer":{"id":"customer-7","email":""}})");
}

TEST(OrderCreatedUpcaster, KeepsEscapedTextIntact) {
  absl::StatusOr<std::string> v2 = UpcastOrderCreatedV1(
      R"({"currency": "EUR", "order_id": "o", "customer_id": "a \"q\" \\ \u00e9 \n"})");
  ASSERT_TRUE(v2.ok()) << v2.status();
  store::RecordedEvent stored;
  stored.stream_type = kOrderStreamType;
  stored.event_type = "OrderCreated";
  stored.schema_version = 2;
  stored.payload_json = *v2;
  absl::StatusOr<ordo::v1::OrderEvent> event = OrderEvents().Decode(stored);
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->order_created().customer().id(), "a \"q\" \\ \xC3\xA9 \n");
}

TEST(OrderCreatedUpcaster, RefusesAV1WithoutCustomerId) {
  EXPECT_EQ(UpcastOrderCreatedV1(R"({"currency": "EUR", "order_id": "o"})").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(UpcastOrderCreatedV1(R"({"customer_id": 7})").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(UpcastOrderCreatedV1("not json").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(OrderEventsDecoder, DecodesARecordedV1AsV2) {
  store::RecordedEvent stored;
  stored.stream_id = "order-1";
  stored.stream_type = kOrderStreamType;
  stored.version = 1;
  stored.event_type = "OrderCreated";
  stored.schema_version = 1;
  stored.payload_json = kRecordedV1;
  absl::StatusOr<ordo::v1::OrderEvent> event = OrderEvents().Decode(stored);
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->order_created().order_id(), "order-1");
  EXPECT_EQ(event->order_created().customer().id(), "customer-7");
  EXPECT_EQ(event->order_created().customer().email(), "");
  EXPECT_EQ(event->order_created().currency(), "EUR");
  EXPECT_FALSE(event->order_created().has_shipping_address());
  absl::StatusOr<CurrentPayload> lifted = OrderEvents().Lift(stored);
  ASSERT_TRUE(lifted.ok()) << lifted.status();
  EXPECT_EQ(lifted->schema_version, 2);
}

TEST(OrderEventsDecoder, AV1ThatDoesNotUpcastIsAnErrorNamingTheStep) {
  store::RecordedEvent stored;
  stored.stream_id = "order-1";
  stored.stream_type = kOrderStreamType;
  stored.event_type = "OrderCreated";
  stored.schema_version = 1;
  stored.payload_json = R"({"currency": "EUR", "order_id": "order-1"})";
  absl::StatusOr<ordo::v1::OrderEvent> event = OrderEvents().Decode(stored);
  EXPECT_EQ(event.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(event.status().message().find("upcasting OrderCreated v1 to v2"), std::string::npos)
      << event.status();
}

TEST(UpcasterChain, AppliesEveryStepInOrder) {
  UpcasterChain chain;
  chain
      .Add("E", 1,
           [](std::string_view json) -> absl::StatusOr<std::string> {
             return std::string(json) + "+2";
           })
      .Add("E", 2, [](std::string_view json) -> absl::StatusOr<std::string> {
        return std::string(json) + "+3";
      });
  EXPECT_EQ(chain.CurrentVersion("E"), 3);
  EXPECT_EQ(chain.CurrentVersion("Other"), 1);
  std::string payload = "v1";
  ASSERT_TRUE(chain.Lift("E", 1, payload).ok());
  EXPECT_EQ(payload, "v1+2+3");
  payload = "v2";
  ASSERT_TRUE(chain.Lift("E", 2, payload).ok());
  EXPECT_EQ(payload, "v2+3");
  payload = "v3";
  ASSERT_TRUE(chain.Lift("E", 3, payload).ok());
  EXPECT_EQ(payload, "v3");
  EXPECT_EQ(chain.Lift("E", 4, payload).code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace ordo::events
