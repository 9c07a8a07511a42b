// The shipping policy: ShipmentDispatched -> ShipOrder.
#include "command/process/shipping_policy.h"

#include "absl/strings/str_cat.h"
#include "events/event_metadata.h"
#include "events/shipment_events.h"

namespace ordo::process {

store::SubscriberFilter ShippingPolicy::filter() const {
  return {{"ShipmentDispatched"}, {events::kShipmentStreamType}};
}

store::HandleResult ShippingPolicy::Handle(const std::vector<store::RecordedEvent>& batch,
                                           pqxx::work&) {
  for (size_t i = 0; i < batch.size(); ++i) {
    const store::RecordedEvent& recorded = batch[i];
    absl::StatusOr<ordo::v1::ShipmentEvent> event = events::ShipmentEvents().Decode(recorded);
    if (!event.ok()) return store::HandleResult::FailedAt(i, event.status());
    if (!event->has_shipment_dispatched()) continue;
    const auto& dispatched = event->shipment_dispatched();
    const events::EventMetadata metadata = events::ParseEventMetadata(recorded.metadata_json);
    const StepOrigin origin{absl::StrCat(name_, ":", dispatched.order_id()),
                            metadata.correlation_id, recorded.event_id, metadata.traceparent};
    // Refused when the order was cancelled meanwhile: the saga calls the parcel back.
    absl::Status shipped =
        commands_.Send(SagaStep{"ship-order",
                                domain::OrderCommand(domain::ShipOrder{
                                    dispatched.order_id(), dispatched.tracking_number()}),
                                /*refusal_is_done=*/true},
                       origin);
    if (!shipped.ok()) return store::HandleResult::FailedAt(i, shipped);
  }
  return store::HandleResult::Ok();
}

}  // namespace ordo::process
