// The Payment aggregate's state, rebuilt by folding its events with Apply().
#include "command/domain/payment/payment.h"

namespace ordo::domain {

void Apply(Payment& payment, const ordo::v1::PaymentEvent& event) {
  using ordo::v1::PaymentEvent;
  switch (event.event_case()) {
    case PaymentEvent::kPaymentRequested: {
      const auto& e = event.payment_requested();
      payment.order_id = e.order_id();
      payment.customer_id = e.customer_id();
      payment.amount_cents = e.amount_cents();
      payment.currency = e.currency();
      payment.state = PaymentState::kRequested;
      break;
    }
    case PaymentEvent::kPaymentAuthorized:
      payment.state = PaymentState::kAuthorized;
      break;
    case PaymentEvent::kPaymentDeclined:
      payment.state = PaymentState::kDeclined;
      break;
    case PaymentEvent::kPaymentCaptured:
      payment.state = PaymentState::kCaptured;
      break;
    case PaymentEvent::kPaymentVoided:
      payment.state = PaymentState::kVoided;
      break;
    case PaymentEvent::kPaymentRefunded:
      payment.state = PaymentState::kRefunded;
      break;
    case PaymentEvent::EVENT_NOT_SET:
      break;
  }
  ++payment.version;
}

}  // namespace ordo::domain
