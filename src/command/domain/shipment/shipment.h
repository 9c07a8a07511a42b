// The Shipment aggregate's state (one order's parcel, DESIGN §11), rebuilt by folding its
// events with Apply(). Pure, no I/O.
#ifndef ORDO_COMMAND_DOMAIN_SHIPMENT_SHIPMENT_H_
#define ORDO_COMMAND_DOMAIN_SHIPMENT_SHIPMENT_H_

#include <cstdint>
#include <string>

#include "ordo/v1/shipment_events.pb.h"

namespace ordo::domain {

enum class ShipmentState { kNone, kRequested, kDispatched, kCancelled, kDelivered };

struct Shipment {
  std::string order_id;
  ShipmentState state = ShipmentState::kNone;
  std::string tracking_number;
  // The version of the last applied event; 0 while the shipment has no stream.
  int32_t version = 0;
};

// Folds one event into `shipment` and advances its version by one.
void Apply(Shipment& shipment, const ordo::v1::ShipmentEvent& event);

}  // namespace ordo::domain

#endif  // ORDO_COMMAND_DOMAIN_SHIPMENT_SHIPMENT_H_
