// Lifting a payload through the codec of its stream type.
#include "events/any_stream_type.h"

#include "events/fulfilment_events.h"
#include "events/inventory_events.h"
#include "events/order_events.h"
#include "events/payment_events.h"
#include "events/shipment_events.h"

namespace ordo::events {

absl::StatusOr<CurrentPayload> LiftAnyStreamType(const store::RecordedEvent& stored) {
  const std::string& type = stored.stream_type;
  if (type == kOrderStreamType) return OrderEvents().Lift(stored);
  if (type == kInventoryStreamType) return InventoryEvents().Lift(stored);
  if (type == kPaymentStreamType) return PaymentEvents().Lift(stored);
  if (type == kShipmentStreamType) return ShipmentEvents().Lift(stored);
  if (type == kFulfilmentStreamType) return FulfilmentEvents().Lift(stored);
  return CurrentPayload{stored.schema_version, stored.payload_json};
}

}  // namespace ordo::events
