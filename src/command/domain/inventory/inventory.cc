// The Inventory aggregate's state, rebuilt by folding its events with Apply().
#include "command/domain/inventory/inventory.h"

namespace ordo::domain {

void Apply(Inventory& inventory, const ordo::v1::InventoryEvent& event) {
  using ordo::v1::InventoryEvent;
  switch (event.event_case()) {
    case InventoryEvent::kStockReceived:
      inventory.sku = event.stock_received().sku();
      inventory.on_hand += event.stock_received().quantity();
      break;
    case InventoryEvent::kStockAdjusted:
      inventory.sku = event.stock_adjusted().sku();
      inventory.on_hand += event.stock_adjusted().delta();
      break;
    case InventoryEvent::kStockReserved: {
      const auto& e = event.stock_reserved();
      inventory.sku = e.sku();
      inventory.reservations[e.order_id()] += e.quantity();
      inventory.reserved += e.quantity();
      break;
    }
    case InventoryEvent::kStockReservationRejected:
      inventory.sku = event.stock_reservation_rejected().sku();
      break;
    case InventoryEvent::kStockReleased: {
      const auto& e = event.stock_released();
      inventory.reservations.erase(e.order_id());
      inventory.reserved -= e.quantity();
      break;
    }
    case InventoryEvent::kStockCommitted: {
      const auto& e = event.stock_committed();
      inventory.reservations.erase(e.order_id());
      inventory.reserved -= e.quantity();
      inventory.on_hand -= e.quantity();
      break;
    }
    case InventoryEvent::EVENT_NOT_SET:
      break;
  }
  ++inventory.version;
}

}  // namespace ordo::domain
