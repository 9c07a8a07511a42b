// Recorded events to saga inputs.
#include "command/process/saga_inputs.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "events/event_metadata.h"
#include "events/fulfilment_events.h"
#include "events/inventory_events.h"
#include "events/order_events.h"
#include "events/payment_events.h"
#include "events/shipment_events.h"

namespace ordo::process {
namespace {

using Kind = SagaInput::Kind;

absl::StatusOr<std::optional<SagaInput>> FromOrder(const store::RecordedEvent& recorded) {
  ORDO_ASSIGN_OR_RETURN(ordo::v1::OrderEvent event, events::OrderEvents().Decode(recorded));
  SagaInput in;
  in.order_id = recorded.stream_id;
  switch (event.event_case()) {
    case ordo::v1::OrderEvent::kOrderConfirmed:
      in.kind = Kind::kOrderConfirmed;
      break;
    case ordo::v1::OrderEvent::kOrderCancelled:
      in.kind = Kind::kOrderCancelled;
      in.reason = event.order_cancelled().reason();
      break;
    case ordo::v1::OrderEvent::kOrderShipped:
      in.kind = Kind::kOrderShipped;
      in.tracking_number = event.order_shipped().tracking_number();
      break;
    default:
      return std::optional<SagaInput>();
  }
  return std::optional<SagaInput>(std::move(in));
}

absl::StatusOr<std::optional<SagaInput>> FromInventory(const store::RecordedEvent& recorded) {
  ORDO_ASSIGN_OR_RETURN(ordo::v1::InventoryEvent event, events::InventoryEvents().Decode(recorded));
  SagaInput in;
  switch (event.event_case()) {
    case ordo::v1::InventoryEvent::kStockReserved:
      in.kind = Kind::kStockReserved;
      in.order_id = event.stock_reserved().order_id();
      in.sku = event.stock_reserved().sku();
      break;
    case ordo::v1::InventoryEvent::kStockReservationRejected:
      in.kind = Kind::kStockRejected;
      in.order_id = event.stock_reservation_rejected().order_id();
      in.sku = event.stock_reservation_rejected().sku();
      break;
    default:
      return std::optional<SagaInput>();
  }
  return std::optional<SagaInput>(std::move(in));
}

absl::StatusOr<std::optional<SagaInput>> FromPayment(const store::RecordedEvent& recorded) {
  ORDO_ASSIGN_OR_RETURN(ordo::v1::PaymentEvent event, events::PaymentEvents().Decode(recorded));
  SagaInput in;
  switch (event.event_case()) {
    case ordo::v1::PaymentEvent::kPaymentAuthorized:
      in.kind = Kind::kPaymentAuthorized;
      break;
    case ordo::v1::PaymentEvent::kPaymentDeclined:
      in.kind = Kind::kPaymentDeclined;
      in.reason = event.payment_declined().reason();
      break;
    case ordo::v1::PaymentEvent::kPaymentVoided:
      in.kind = Kind::kPaymentVoided;
      in.reason = event.payment_voided().reason();
      break;
    case ordo::v1::PaymentEvent::kPaymentCaptured:
      in.kind = Kind::kPaymentCaptured;
      break;
    default:
      return std::optional<SagaInput>();
  }
  std::optional<std::string> order_id = events::OrderIdOfPaymentStream(recorded.stream_id);
  if (!order_id) return std::optional<SagaInput>();
  in.order_id = *order_id;
  return std::optional<SagaInput>(std::move(in));
}

absl::StatusOr<std::optional<SagaInput>> FromShipment(const store::RecordedEvent& recorded) {
  ORDO_ASSIGN_OR_RETURN(ordo::v1::ShipmentEvent event, events::ShipmentEvents().Decode(recorded));
  if (event.event_case() != ordo::v1::ShipmentEvent::kShipmentDispatched) {
    return std::optional<SagaInput>();
  }
  std::optional<std::string> order_id = events::OrderIdOfShipmentStream(recorded.stream_id);
  if (!order_id) return std::optional<SagaInput>();
  SagaInput in;
  in.kind = Kind::kShipmentDispatched;
  in.order_id = *order_id;
  in.tracking_number = event.shipment_dispatched().tracking_number();
  in.carrier = event.shipment_dispatched().carrier();
  return std::optional<SagaInput>(std::move(in));
}

}  // namespace

std::vector<std::string> SagaInputEventTypes() {
  return {"OrderConfirmed",           "OrderCancelled",    "OrderShipped",    "StockReserved",
          "StockReservationRejected", "PaymentAuthorized", "PaymentDeclined", "PaymentVoided",
          "PaymentCaptured",          "ShipmentDispatched"};
}

std::vector<std::string> SagaInputStreamTypes() {
  return {events::kOrderStreamType, events::kInventoryStreamType, events::kPaymentStreamType,
          events::kShipmentStreamType};
}

absl::StatusOr<std::optional<SagaInput>> ToSagaInput(const store::RecordedEvent& recorded) {
  absl::StatusOr<std::optional<SagaInput>> input = std::optional<SagaInput>();
  if (recorded.stream_type == events::kOrderStreamType) {
    input = FromOrder(recorded);
  } else if (recorded.stream_type == events::kInventoryStreamType) {
    input = FromInventory(recorded);
  } else if (recorded.stream_type == events::kPaymentStreamType) {
    input = FromPayment(recorded);
  } else if (recorded.stream_type == events::kShipmentStreamType) {
    input = FromShipment(recorded);
  }
  if (!input.ok() || !input->has_value()) return input;
  SagaInput& in = **input;
  in.event_id = recorded.event_id;
  in.caused_by_saga =
      absl::StartsWith(events::ParseEventMetadata(recorded.metadata_json).peer, kSagaPeerPrefix);
  return input;
}

}  // namespace ordo::process
