// The Inventory aggregate's state (one SKU), rebuilt by folding its events with Apply().
// Pure, no I/O.
#ifndef ORDO_COMMAND_DOMAIN_INVENTORY_INVENTORY_H_
#define ORDO_COMMAND_DOMAIN_INVENTORY_INVENTORY_H_

#include <cstdint>
#include <map>
#include <string>

#include "ordo/v1/inventory_events.pb.h"

namespace ordo::domain {

struct Inventory {
  std::string sku;
  int64_t on_hand = 0;                          // units in the warehouse, reserved ones included
  int64_t reserved = 0;                         // the sum of the open reservations
  std::map<std::string, int64_t> reservations;  // open ones: units by order id
  // The version of the last applied event; 0 while the SKU has no stream.
  int32_t version = 0;

  bool exists() const { return version > 0; }
  int64_t available() const { return on_hand - reserved; }
};

// Folds one event into `inventory` and advances its version by one.
void Apply(Inventory& inventory, const ordo::v1::InventoryEvent& event);

}  // namespace ordo::domain

#endif  // ORDO_COMMAND_DOMAIN_INVENTORY_INVENTORY_H_
