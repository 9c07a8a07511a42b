// The Order aggregate's state, rebuilt by folding its events with Apply().
#include "command/domain/order.h"

namespace ordo::domain {

const char* OrderStatusName(OrderStatus status) {
  switch (status) {
    case OrderStatus::kPending:
      return "PENDING";
    case OrderStatus::kConfirmed:
      return "CONFIRMED";
    case OrderStatus::kShipped:
      return "SHIPPED";
    case OrderStatus::kCancelled:
      return "CANCELLED";
  }
  return "UNKNOWN";
}

void Apply(Order& order, const ordo::v1::OrderEvent& event) {
  using ordo::v1::OrderEvent;
  switch (event.event_case()) {
    case OrderEvent::kOrderCreated: {
      const auto& e = event.order_created();
      order.order_id = e.order_id();
      order.customer_id = e.customer().id();
      order.customer_email = e.customer().email();
      order.currency = e.currency();
      order.status = OrderStatus::kPending;
      break;
    }
    case OrderEvent::kOrderItemAdded: {
      const auto& e = event.order_item_added();
      OrderLine& line = order.lines[e.sku()];
      line.quantity += e.quantity();
      line.unit_price_cents = e.unit_price_cents();
      order.total_units += e.quantity();
      break;
    }
    case OrderEvent::kOrderItemRemoved: {
      auto it = order.lines.find(event.order_item_removed().sku());
      if (it != order.lines.end()) {
        order.total_units -= it->second.quantity;
        order.lines.erase(it);
      }
      break;
    }
    case OrderEvent::kOrderConfirmed:
      order.status = OrderStatus::kConfirmed;
      break;
    case OrderEvent::kOrderShipped:
      order.status = OrderStatus::kShipped;
      break;
    case OrderEvent::kOrderCancelled:
      order.status = OrderStatus::kCancelled;
      break;
    case OrderEvent::EVENT_NOT_SET:
      break;
  }
  ++order.version;
}

}  // namespace ordo::domain
