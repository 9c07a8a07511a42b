// What ordo-notify makes of an order event.
#include "relay/order_notifications.h"

#include "absl/strings/str_cat.h"
#include "events/order_events.h"

namespace ordo::relay {

absl::StatusOr<OrderNotice> OrderNoticeFor(const store::RecordedEvent& event) {
  if (event.stream_type != events::kOrderStreamType) {
    return absl::InvalidArgumentError(
        absl::StrCat("stream_type: ", event.stream_type, " is not an order stream"));
  }
  absl::StatusOr<ordo::v1::OrderEvent> decoded = events::OrderEvents().Decode(event);
  if (!decoded.ok()) return absl::InvalidArgumentError(decoded.status().message());
  OrderNotice notice;
  notice.order_id = event.stream_id;
  switch (decoded->event_case()) {
    case ordo::v1::OrderEvent::kOrderCreated:
      notice.customer_id = decoded->order_created().customer().id();
      if (notice.customer_id.empty()) {
        return absl::InvalidArgumentError("payload.customer.id: required");
      }
      return notice;
    case ordo::v1::OrderEvent::kOrderConfirmed:
      notice.kind = "ORDER_CONFIRMED";
      notice.text = absl::StrCat("Order ", notice.order_id, " is confirmed.");
      return notice;
    case ordo::v1::OrderEvent::kOrderShipped:
      notice.kind = "ORDER_SHIPPED";
      notice.text = absl::StrCat("Order ", notice.order_id, " has shipped (tracking ",
                                 decoded->order_shipped().tracking_number(), ").");
      return notice;
    case ordo::v1::OrderEvent::kOrderCancelled:
      notice.kind = "ORDER_CANCELLED";
      notice.text = absl::StrCat("Order ", notice.order_id,
                                 " was cancelled: ", decoded->order_cancelled().reason(), ".");
      return notice;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("event_type: ", event.event_type, " is not one ordo-notify handles"));
  }
}

}  // namespace ordo::relay
