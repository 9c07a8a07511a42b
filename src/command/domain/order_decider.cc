// The Order aggregate's decisions: given the current state and a valid command, the
// events to append, or the business rule that forbids it.
#include "command/domain/order_decider.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "command/domain/order_limits.h"

namespace ordo::domain {
namespace {

using ordo::v1::OrderEvent;
using Events = std::vector<OrderEvent>;

absl::Status NotFound(const std::string& order_id) {
  return absl::NotFoundError(absl::StrCat("order ", order_id, " not found"));
}

absl::Status RequirePending(const Order& order, const char* action) {
  if (order.status == OrderStatus::kPending) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(action, " only a PENDING order; order ",
                                                    order.order_id, " is ",
                                                    OrderStatusName(order.status)));
}

absl::StatusOr<Events> DecideCreate(const Order& order, const CreateOrder& c) {
  if (order.exists()) {
    return absl::AlreadyExistsError(absl::StrCat("order ", c.order_id, " already exists"));
  }
  OrderEvent event;
  auto* e = event.mutable_order_created();
  e->set_order_id(c.order_id);
  e->mutable_customer()->set_id(c.customer_id);
  e->mutable_customer()->set_email(c.customer_email);
  e->set_currency(c.currency);
  if (c.shipping_address) *e->mutable_shipping_address() = *c.shipping_address;
  return Events{event};
}

absl::StatusOr<Events> DecideAddItem(const Order& order, const AddItem& c) {
  if (absl::Status s = RequirePending(order, "items can be added to"); !s.ok()) return s;
  auto line = order.lines.find(c.sku);
  if (line == order.lines.end() && static_cast<int>(order.lines.size()) >= kMaxLinesPerOrder) {
    return absl::InvalidArgumentError(absl::StrCat("sku: an order holds at most ",
                                                   kMaxLinesPerOrder, " distinct lines; order ",
                                                   order.order_id, " is full"));
  }
  if (line != order.lines.end() && line->second.unit_price_cents != c.unit_price_cents) {
    return absl::FailedPreconditionError(absl::StrCat(
        "sku ", c.sku, " is already on order ", order.order_id, " at unit_price_cents ",
        line->second.unit_price_cents, "; remove the line to change its price"));
  }
  if (order.total_units + c.quantity > kMaxUnitsPerOrder) {
    return absl::InvalidArgumentError(absl::StrCat(
        "quantity: an order holds at most ", kMaxUnitsPerOrder, " units; order ", order.order_id,
        " holds ", order.total_units, " and ", c.quantity, " more would exceed it"));
  }
  OrderEvent event;
  auto* e = event.mutable_order_item_added();
  e->set_order_id(order.order_id);
  e->set_sku(c.sku);
  e->set_quantity(static_cast<int32_t>(c.quantity));
  e->set_unit_price_cents(c.unit_price_cents);
  return Events{event};
}

absl::StatusOr<Events> DecideRemoveItem(const Order& order, const RemoveItem& c) {
  if (absl::Status s = RequirePending(order, "items can be removed from"); !s.ok()) return s;
  if (order.lines.count(c.sku) == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("sku ", c.sku, " is not on order ", order.order_id));
  }
  OrderEvent event;
  auto* e = event.mutable_order_item_removed();
  e->set_order_id(order.order_id);
  e->set_sku(c.sku);
  return Events{event};
}

absl::StatusOr<Events> DecideConfirm(const Order& order, const ConfirmOrder&) {
  if (absl::Status s = RequirePending(order, "can confirm"); !s.ok()) return s;
  if (order.lines.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "can confirm only an order with at least one line; order ", order.order_id, " is empty"));
  }
  OrderEvent event;
  event.mutable_order_confirmed()->set_order_id(order.order_id);
  return Events{event};
}

absl::StatusOr<Events> DecideShip(const Order& order, const ShipOrder& c) {
  if (order.status != OrderStatus::kConfirmed) {
    return absl::FailedPreconditionError(absl::StrCat("can ship only a CONFIRMED order; order ",
                                                      order.order_id, " is ",
                                                      OrderStatusName(order.status)));
  }
  OrderEvent event;
  auto* e = event.mutable_order_shipped();
  e->set_order_id(order.order_id);
  e->set_tracking_number(c.tracking_number);
  return Events{event};
}

absl::StatusOr<Events> DecideCancel(const Order& order, const CancelOrder& c) {
  if (order.status == OrderStatus::kShipped || order.status == OrderStatus::kCancelled) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot cancel order ", order.order_id, ": it is already ", OrderStatusName(order.status)));
  }
  OrderEvent event;
  auto* e = event.mutable_order_cancelled();
  e->set_order_id(order.order_id);
  e->set_reason(c.reason);
  return Events{event};
}

struct Decider {
  const Order& order;
  absl::StatusOr<Events> operator()(const CreateOrder& c) const { return DecideCreate(order, c); }
  absl::StatusOr<Events> operator()(const AddItem& c) const { return DecideAddItem(order, c); }
  absl::StatusOr<Events> operator()(const RemoveItem& c) const {
    return DecideRemoveItem(order, c);
  }
  absl::StatusOr<Events> operator()(const ConfirmOrder& c) const { return DecideConfirm(order, c); }
  absl::StatusOr<Events> operator()(const ShipOrder& c) const { return DecideShip(order, c); }
  absl::StatusOr<Events> operator()(const CancelOrder& c) const { return DecideCancel(order, c); }
};

}  // namespace

absl::StatusOr<std::vector<OrderEvent>> Decide(const Order& order, const OrderCommand& command) {
  if (!std::holds_alternative<CreateOrder>(command) && !order.exists()) {
    return NotFound(TargetOrderId(command));
  }
  return std::visit(Decider{order}, command);
}

}  // namespace ordo::domain
