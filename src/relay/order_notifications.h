// What ordo-notify makes of an order event (DESIGN §12): OrderCreated tells it who the
// customer is; OrderConfirmed, OrderShipped (with the tracking number) and OrderCancelled
// (with the reason) each become one notification for that customer. Pure.
#ifndef ORDO_RELAY_ORDER_NOTIFICATIONS_H_
#define ORDO_RELAY_ORDER_NOTIFICATIONS_H_

#include <string>

#include "absl/status/statusor.h"
#include "store/log/recorded_event.h"

namespace ordo::relay {

// The order events ordo-notify's queue is bound to.
inline constexpr const char* kNotifyEventTypes[] = {"OrderCreated", "OrderConfirmed",
                                                    "OrderShipped", "OrderCancelled"};

struct OrderNotice {
  std::string order_id;
  std::string customer_id;  // OrderCreated: who placed the order; otherwise empty
  std::string kind;         // ORDER_CONFIRMED, ORDER_SHIPPED, ORDER_CANCELLED; empty: none
  std::string text;         // for the customer
};

// INVALID_ARGUMENT for an event that is not one of the order events above or does not
// decode: a message ordo-notify can never handle.
absl::StatusOr<OrderNotice> OrderNoticeFor(const store::RecordedEvent& event);

}  // namespace ordo::relay

#endif  // ORDO_RELAY_ORDER_NOTIFICATIONS_H_
