// Tests of the stored form of Order events: type names, JSON field names, round trips.
#include "command/order_event_codec.h"

#include <gtest/gtest.h>

namespace ordo::command {
namespace {

using ordo::v1::OrderEvent;

store::RecordedEvent AsRecorded(const store::NewEvent& e) {
  store::RecordedEvent recorded;
  recorded.stream_id = "o-1";
  recorded.version = 1;
  recorded.event_type = e.event_type;
  recorded.schema_version = e.schema_version;
  recorded.payload_json = e.payload_json;
  return recorded;
}

TEST(OrderEventCodec, TypeIsTheMessageNameAndPayloadUsesProtoFieldNames) {
  OrderEvent event;
  auto* added = event.mutable_order_item_added();
  added->set_order_id("o-1");
  added->set_sku("sku-1");
  added->set_quantity(2);
  added->set_unit_price_cents(0);
  absl::StatusOr<store::NewEvent> stored = EncodeOrderEvent(event);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->event_type, "OrderItemAdded");
  EXPECT_EQ(stored->schema_version, 1);
  EXPECT_NE(stored->payload_json.find("\"unit_price_cents\":\"0\""), std::string::npos)
      << stored->payload_json;
  EXPECT_NE(stored->payload_json.find("\"quantity\":2"), std::string::npos);
}

TEST(OrderEventCodec, RoundTripsEveryEventType) {
  std::vector<OrderEvent> events(6);
  events[0].mutable_order_created()->set_customer_id("c");
  events[1].mutable_order_item_added()->set_sku("s");
  events[2].mutable_order_item_removed()->set_sku("s");
  events[3].mutable_order_confirmed()->set_order_id("o");
  events[4].mutable_order_shipped()->set_tracking_number("T");
  events[5].mutable_order_cancelled()->set_reason("r");
  for (const OrderEvent& event : events) {
    absl::StatusOr<store::NewEvent> stored = EncodeOrderEvent(event);
    ASSERT_TRUE(stored.ok());
    absl::StatusOr<OrderEvent> decoded = DecodeOrderEvent(AsRecorded(*stored));
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(decoded->SerializeAsString(), event.SerializeAsString()) << stored->event_type;
  }
}

TEST(OrderEventCodec, IgnoresUnknownPayloadFields) {
  store::RecordedEvent recorded;
  recorded.event_type = "OrderShipped";
  recorded.schema_version = 1;
  recorded.payload_json = R"({"order_id":"o-1","tracking_number":"T","carrier":"new field"})";
  absl::StatusOr<OrderEvent> decoded = DecodeOrderEvent(recorded);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->order_shipped().tracking_number(), "T");
}

TEST(OrderEventCodec, RefusesUnknownTypesAndNewerSchemas) {
  store::RecordedEvent recorded;
  recorded.event_type = "OrderTeleported";
  recorded.schema_version = 1;
  recorded.payload_json = "{}";
  EXPECT_EQ(DecodeOrderEvent(recorded).status().code(), absl::StatusCode::kDataLoss);
  recorded.event_type = "OrderConfirmed";
  recorded.schema_version = 2;
  EXPECT_EQ(DecodeOrderEvent(recorded).status().code(), absl::StatusCode::kDataLoss);
}

TEST(OrderEventCodec, RefusesAnEmptyEvent) {
  EXPECT_EQ(EncodeOrderEvent(OrderEvent()).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ordo::command
