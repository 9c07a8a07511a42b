// The Inventory event contract: stream type, stream ids and codec.
#include "events/inventory_events.h"

#include "absl/strings/str_cat.h"

namespace ordo::events {

std::string InventoryStreamId(const std::string& sku) {
  return absl::StrCat(kInventoryStreamType, ":", sku);
}

const InventoryCodec& InventoryEvents() {
  static const InventoryCodec* codec = new InventoryCodec(kInventoryStreamType, UpcasterChain());
  return *codec;
}

}  // namespace ordo::events
