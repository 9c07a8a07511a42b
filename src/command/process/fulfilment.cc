// The fulfilment saga's state, rebuilt by folding its events with Apply().
#include "command/process/fulfilment.h"

namespace ordo::process {

void Apply(Fulfilment& f, const ordo::v1::FulfilmentEvent& event) {
  using ordo::v1::FulfilmentEvent;
  switch (event.event_case()) {
    case FulfilmentEvent::kFulfilmentStarted: {
      const auto& e = event.fulfilment_started();
      f.order_id = e.order_id();
      f.customer_id = e.customer_id();
      f.amount_cents = e.amount_cents();
      f.currency = e.currency();
      for (const auto& line : e.lines())
        f.lines[line.sku()] = {line.quantity(), LineStatus::kPending};
      f.stage = FulfilmentStage::kReservingStock;
      break;
    }
    case FulfilmentEvent::kFulfilmentLineReserved:
      f.lines[event.fulfilment_line_reserved().sku()].status = LineStatus::kReserved;
      break;
    case FulfilmentEvent::kFulfilmentLineRejected:
      f.lines[event.fulfilment_line_rejected().sku()].status = LineStatus::kRejected;
      break;
    case FulfilmentEvent::kFulfilmentPaymentRequested:
      f.stage = FulfilmentStage::kAuthorizingPayment;
      break;
    case FulfilmentEvent::kFulfilmentShipmentRequested:
      f.stage = FulfilmentStage::kShipping;
      break;
    case FulfilmentEvent::kFulfilmentShipmentDispatched:
      f.tracking_number = event.fulfilment_shipment_dispatched().tracking_number();
      break;
    case FulfilmentEvent::kFulfilmentShipped:
      f.shipped = true;
      f.tracking_number = event.fulfilment_shipped().tracking_number();
      break;
    case FulfilmentEvent::kFulfilmentCompleted:
      f.stage = FulfilmentStage::kCompleted;
      break;
    case FulfilmentEvent::kFulfilmentCancelled:
      f.stage = FulfilmentStage::kCancelled;
      f.reason = event.fulfilment_cancelled().reason();
      break;
    case FulfilmentEvent::EVENT_NOT_SET:
      break;
  }
  ++f.version;
}

}  // namespace ordo::process
