// Tests of the one decoder: typed decoding of stored payloads as PostgreSQL's jsonb prints
// them, strictness on malformed ones (an error naming the event, never a silent default),
// and the encode -> decode round trip.
#include "events/event_codec.h"

#include <gtest/gtest.h>

#include "events/inventory_events.h"
#include "events/order_events.h"

namespace ordo::events {
namespace {

store::RecordedEvent Stored(std::string type, std::string payload, int schema_version = 1,
                            std::string stream_type = kOrderStreamType) {
  store::RecordedEvent event;
  event.stream_id = "o-1";
  event.stream_type = std::move(stream_type);
  event.version = 3;
  event.position = store::LogPosition{7, 42};
  event.event_type = std::move(type);
  event.schema_version = schema_version;
  event.payload_json = std::move(payload);
  return event;
}

TEST(EventCodec, DecodesPayloadsAsJsonbPrintsThem) {
  absl::StatusOr<ordo::v1::OrderEvent> event = OrderEvents().Decode(
      Stored("OrderItemAdded",
             R"({"sku": "tea-1", "order_id": "o-1", "quantity": 3, "unit_price_cents": "1250"})"));
  ASSERT_TRUE(event.ok()) << event.status();
  ASSERT_TRUE(event->has_order_item_added());
  EXPECT_EQ(event->order_item_added().sku(), "tea-1");
  EXPECT_EQ(event->order_item_added().order_id(), "o-1");
  EXPECT_EQ(event->order_item_added().quantity(), 3);
  EXPECT_EQ(event->order_item_added().unit_price_cents(), 1250);  // int64 as a string
}

TEST(EventCodec, UnescapesStrings) {
  absl::StatusOr<ordo::v1::OrderEvent> event = OrderEvents().Decode(Stored(
      "OrderCancelled", R"({"order_id": "o-1", "reason": "said \"no\" \\ twice\n\t\u0001 \u00e9 )"
                        R"(\ud83d\udce6 été"})"));
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->order_cancelled().reason(),
            "said \"no\" \\ twice\n\t\x01 \xC3\xA9 \xF0\x9F\x93\xA6 \xC3\xA9t\xC3\xA9");
}

TEST(EventCodec, IgnoresFieldsItDoesNotKnow) {
  absl::StatusOr<ordo::v1::OrderEvent> event = OrderEvents().Decode(
      Stored("OrderConfirmed", R"({"order_id": "o-1", "added_later": {"x": [1, 2]}})"));
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->order_confirmed().order_id(), "o-1");
}

void ExpectUndecodable(const store::RecordedEvent& stored, const std::string& why) {
  absl::StatusOr<ordo::v1::OrderEvent> event = OrderEvents().Decode(stored);
  ASSERT_EQ(event.status().code(), absl::StatusCode::kDataLoss) << stored.payload_json;
  const std::string message(event.status().message());
  // The error names the event: stream, version and log position.
  EXPECT_NE(message.find("o-1@3 at position 42"), std::string::npos) << message;
  EXPECT_NE(message.find(why), std::string::npos) << message;
}

TEST(EventCodec, RefusesMalformedJson) {
  for (const char* bad : {"", "[]", "{", R"({"order_id" "o-1"})", R"({"order_id": "unterminated})",
                          R"({"order_id": "o-1"} trailing)", R"({"order_id": "\x"})"}) {
    ExpectUndecodable(Stored("OrderConfirmed", bad), "payload");
  }
}

TEST(EventCodec, RefusesAMissingField) {
  ExpectUndecodable(Stored("OrderShipped", R"({"order_id": "o-1"})"),
                    "tracking_number: required field missing");
  ExpectUndecodable(Stored("OrderShipped", R"({"order_id": "o-1", "tracking_number": null})"),
                    "tracking_number: required field missing");
}

TEST(EventCodec, RefusesWrongTypesAndRanges) {
  ExpectUndecodable(
      Stored("OrderItemAdded", R"({"sku": "s", "order_id": "o-1", "quantity": "many",)"
                               R"( "unit_price_cents": 1})"),
      "quantity: not an integer");
  ExpectUndecodable(Stored("OrderItemAdded", R"({"sku": "s", "order_id": "o-1",)"
                                             R"( "quantity": 3000000000, "unit_price_cents": 1})"),
                    "quantity: integer out of range");
  ExpectUndecodable(Stored("OrderItemAdded", R"({"sku": 7, "order_id": "o-1", "quantity": 1,)"
                                             R"( "unit_price_cents": 1})"),
                    "sku: expected a string");
  ExpectUndecodable(Stored("OrderItemAdded", R"({"sku": "s", "order_id": "o-1", "quantity": 1.5,)"
                                             R"( "unit_price_cents": 1})"),
                    "quantity: expected an integer");
}

TEST(EventCodec, RefusesUnknownTypesVersionsAndStreamTypes) {
  ExpectUndecodable(Stored("OrderTeleported", R"({"order_id": "o-1"})"), "unknown event type");
  ExpectUndecodable(Stored("OrderConfirmed", R"({"order_id": "o-1"})", 9),
                    "schema_version 9 of OrderConfirmed is unknown");
  ExpectUndecodable(Stored("OrderConfirmed", R"({"order_id": "o-1"})", 0), "schema_version 0");
  ExpectUndecodable(Stored("OrderConfirmed", R"({"order_id": "o-1"})", 1, "inventory"),
                    "not a order event");
}

TEST(EventCodec, EncodesTheCurrentVersionThatDecodesBack) {
  ordo::v1::OrderEvent event;
  auto* created = event.mutable_order_created();
  created->set_order_id("o-1");
  created->set_currency("EUR");
  created->mutable_customer()->set_id("c-1");
  created->mutable_customer()->set_email("c@example.com");
  created->mutable_shipping_address()->set_line1("Main St 1");
  absl::StatusOr<store::NewEvent> stored = OrderEvents().Encode(event);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->event_type, "OrderCreated");
  EXPECT_EQ(stored->schema_version, 2);
  absl::StatusOr<ordo::v1::OrderEvent> back =
      OrderEvents().Decode(Stored("OrderCreated", stored->payload_json, 2));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->SerializeAsString(), event.SerializeAsString());
}

TEST(EventCodec, InventoryEventsRoundTripWith64BitQuantities) {
  ordo::v1::InventoryEvent event;
  event.mutable_stock_received()->set_sku("tea");
  event.mutable_stock_received()->set_quantity(1000000000000);
  absl::StatusOr<store::NewEvent> stored = InventoryEvents().Encode(event);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->payload_json, R"({"sku":"tea","quantity":"1000000000000"})");
  absl::StatusOr<ordo::v1::InventoryEvent> back = InventoryEvents().Decode(
      Stored("StockReceived", stored->payload_json, 1, kInventoryStreamType));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->stock_received().quantity(), 1000000000000);
  EXPECT_EQ(InventoryStreamId("tea"), "inventory:tea");
}

}  // namespace
}  // namespace ordo::events
