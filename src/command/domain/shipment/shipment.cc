// The Shipment aggregate's state, rebuilt by folding its events with Apply().
#include "command/domain/shipment/shipment.h"

namespace ordo::domain {

void Apply(Shipment& shipment, const ordo::v1::ShipmentEvent& event) {
  using ordo::v1::ShipmentEvent;
  switch (event.event_case()) {
    case ShipmentEvent::kShipmentRequested:
      shipment.order_id = event.shipment_requested().order_id();
      shipment.state = ShipmentState::kRequested;
      break;
    case ShipmentEvent::kShipmentDispatched:
      shipment.state = ShipmentState::kDispatched;
      shipment.tracking_number = event.shipment_dispatched().tracking_number();
      break;
    case ShipmentEvent::kShipmentCancelled:
      shipment.state = ShipmentState::kCancelled;
      break;
    case ShipmentEvent::kShipmentDelivered:
      shipment.state = ShipmentState::kDelivered;
      break;
    case ShipmentEvent::EVENT_NOT_SET:
      break;
  }
  ++shipment.version;
}

}  // namespace ordo::domain
