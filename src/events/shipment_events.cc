// The Shipment event contract: stream type, stream ids and codec.
#include "events/shipment_events.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace ordo::events {

std::string ShipmentStreamId(const std::string& order_id) {
  return absl::StrCat(kShipmentStreamType, ":", order_id);
}

std::optional<std::string> OrderIdOfShipmentStream(const std::string& stream_id) {
  const std::string prefix = absl::StrCat(kShipmentStreamType, ":");
  if (!absl::StartsWith(stream_id, prefix) || stream_id.size() == prefix.size()) {
    return std::nullopt;
  }
  return stream_id.substr(prefix.size());
}

const ShipmentCodec& ShipmentEvents() {
  static const ShipmentCodec* codec = new ShipmentCodec(kShipmentStreamType, UpcasterChain());
  return *codec;
}

}  // namespace ordo::events
