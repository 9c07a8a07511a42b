// The event contract of the Inventory aggregate: its stream type, stream ids and codec.
#ifndef ORDO_EVENTS_INVENTORY_EVENTS_H_
#define ORDO_EVENTS_INVENTORY_EVENTS_H_

#include <string>

#include "events/event_codec.h"
#include "ordo/v1/inventory_events.pb.h"

namespace ordo::events {

inline constexpr char kInventoryStreamType[] = "inventory";

// "inventory:<sku>": prefixed, so that no order id (which has no ':') can be the same.
std::string InventoryStreamId(const std::string& sku);

using InventoryCodec = EventCodec<ordo::v1::InventoryEvent>;

// The process-wide codec; built on first use.
const InventoryCodec& InventoryEvents();

}  // namespace ordo::events

#endif  // ORDO_EVENTS_INVENTORY_EVENTS_H_
