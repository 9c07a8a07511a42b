// The Payment aggregate's state (one order's payment, DESIGN §11), rebuilt by folding its
// events with Apply(). Pure, no I/O.
#ifndef ORDO_COMMAND_DOMAIN_PAYMENT_PAYMENT_H_
#define ORDO_COMMAND_DOMAIN_PAYMENT_PAYMENT_H_

#include <cstdint>
#include <string>

#include "ordo/v1/payment_events.pb.h"

namespace ordo::domain {

enum class PaymentState {
  kNone,
  kRequested,
  kAuthorized,
  kDeclined,
  kVoided,
  kCaptured,
  kRefunded
};

struct Payment {
  std::string order_id;
  std::string customer_id;
  PaymentState state = PaymentState::kNone;
  int64_t amount_cents = 0;
  std::string currency;
  // The version of the last applied event; 0 while the payment has no stream.
  int32_t version = 0;
};

// Folds one event into `payment` and advances its version by one.
void Apply(Payment& payment, const ordo::v1::PaymentEvent& event);

}  // namespace ordo::domain

#endif  // ORDO_COMMAND_DOMAIN_PAYMENT_PAYMENT_H_
