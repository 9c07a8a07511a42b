// The event contract of the Shipment stream type (DESIGN §11): stream type, stream ids, codec.
#ifndef ORDO_EVENTS_SHIPMENT_EVENTS_H_
#define ORDO_EVENTS_SHIPMENT_EVENTS_H_

#include <optional>
#include <string>

#include "events/event_codec.h"
#include "ordo/v1/shipment_events.pb.h"

namespace ordo::events {

inline constexpr char kShipmentStreamType[] = "shipment";

// "shipment:<order_id>": one per order, prefixed so that no order id can be the same.
std::string ShipmentStreamId(const std::string& order_id);
// The order id of a "shipment:<order_id>" stream id; nullopt for any other.
std::optional<std::string> OrderIdOfShipmentStream(const std::string& stream_id);

using ShipmentCodec = EventCodec<ordo::v1::ShipmentEvent>;

// The process-wide codec; built on first use.
const ShipmentCodec& ShipmentEvents();

}  // namespace ordo::events

#endif  // ORDO_EVENTS_SHIPMENT_EVENTS_H_
