// The Inventory aggregate's decisions.
#include "command/domain/inventory/inventory_decider.h"

#include "absl/strings/str_cat.h"
#include "command/domain/inventory/inventory_limits.h"

namespace ordo::domain {
namespace {

using ordo::v1::InventoryEvent;
using Events = std::vector<InventoryEvent>;

absl::StatusOr<Events> DecideReceive(const Inventory& inventory, const ReceiveStock& c) {
  if (inventory.on_hand + c.quantity > kMaxOnHand) {
    return absl::InvalidArgumentError(absl::StrCat("quantity: sku ", c.sku, " holds at most ",
                                                   kMaxOnHand, " units; it has ",
                                                   inventory.on_hand));
  }
  InventoryEvent event;
  auto* e = event.mutable_stock_received();
  e->set_sku(c.sku);
  e->set_quantity(c.quantity);
  return Events{event};
}

absl::StatusOr<Events> DecideAdjust(const Inventory& inventory, const AdjustStock& c) {
  if (!inventory.exists()) {
    return absl::NotFoundError(absl::StrCat("sku ", c.sku, " not found"));
  }
  const int64_t on_hand = inventory.on_hand + c.delta;
  if (on_hand < inventory.reserved) {
    return absl::FailedPreconditionError(absl::StrCat(
        "an adjustment may not take on_hand below reserved: sku ", c.sku, " has ",
        inventory.on_hand, " on hand, ", inventory.reserved, " reserved, delta ", c.delta));
  }
  if (on_hand > kMaxOnHand) {
    return absl::InvalidArgumentError(
        absl::StrCat("delta: sku ", c.sku, " holds at most ", kMaxOnHand, " units"));
  }
  InventoryEvent event;
  auto* e = event.mutable_stock_adjusted();
  e->set_sku(c.sku);
  e->set_delta(c.delta);
  e->set_reason(c.reason);
  return Events{event};
}

absl::StatusOr<Events> DecideReserve(const Inventory& inventory, const ReserveStock& c) {
  auto open = inventory.reservations.find(c.order_id);
  if (open != inventory.reservations.end()) {
    if (open->second == c.quantity) return Events{};  // reserved already: same answer
    return absl::FailedPreconditionError(
        absl::StrCat("order ", c.order_id, " already holds a reservation of ", open->second,
                     " units of sku ", c.sku, "; release it before reserving ", c.quantity));
  }
  InventoryEvent event;
  if (c.quantity > inventory.available()) {
    auto* e = event.mutable_stock_reservation_rejected();
    e->set_sku(c.sku);
    e->set_order_id(c.order_id);
    e->set_quantity(c.quantity);
    e->set_available(inventory.available());
  } else {
    auto* e = event.mutable_stock_reserved();
    e->set_sku(c.sku);
    e->set_order_id(c.order_id);
    e->set_quantity(c.quantity);
  }
  return Events{event};
}

absl::StatusOr<Events> DecideRelease(const Inventory& inventory, const ReleaseStock& c) {
  auto open = inventory.reservations.find(c.order_id);
  if (open == inventory.reservations.end()) return Events{};  // safe to repeat
  InventoryEvent event;
  auto* e = event.mutable_stock_released();
  e->set_sku(c.sku);
  e->set_order_id(c.order_id);
  e->set_quantity(open->second);
  return Events{event};
}

absl::StatusOr<Events> DecideCommit(const Inventory& inventory, const CommitStock& c) {
  auto open = inventory.reservations.find(c.order_id);
  if (open == inventory.reservations.end()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "order ", c.order_id, " holds no open reservation of sku ", c.sku, " to commit"));
  }
  InventoryEvent event;
  auto* e = event.mutable_stock_committed();
  e->set_sku(c.sku);
  e->set_order_id(c.order_id);
  e->set_quantity(open->second);
  return Events{event};
}

struct Decider {
  const Inventory& inventory;
  absl::StatusOr<Events> operator()(const ReceiveStock& c) const {
    return DecideReceive(inventory, c);
  }
  absl::StatusOr<Events> operator()(const AdjustStock& c) const {
    return DecideAdjust(inventory, c);
  }
  absl::StatusOr<Events> operator()(const ReserveStock& c) const {
    return DecideReserve(inventory, c);
  }
  absl::StatusOr<Events> operator()(const ReleaseStock& c) const {
    return DecideRelease(inventory, c);
  }
  absl::StatusOr<Events> operator()(const CommitStock& c) const {
    return DecideCommit(inventory, c);
  }
};

}  // namespace

absl::StatusOr<std::vector<InventoryEvent>> Decide(const Inventory& inventory,
                                                   const InventoryCommand& command) {
  return std::visit(Decider{inventory}, command);
}

}  // namespace ordo::domain
