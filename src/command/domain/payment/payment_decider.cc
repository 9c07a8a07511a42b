// The Payment aggregate's rules.
#include "command/domain/payment/payment_decider.h"

#include "absl/strings/str_cat.h"
#include "command/domain/field_checks.h"
#include "command/domain/order_limits.h"

namespace ordo::domain {
namespace {

using ordo::v1::PaymentEvent;
using Events = std::vector<PaymentEvent>;

absl::Status Refused(const Payment& payment, const char* what) {
  return absl::FailedPreconditionError(
      absl::StrCat("payment of order ", payment.order_id, " cannot be ", what, " in its state"));
}

struct Validator {
  absl::Status operator()(const RequestPayment& c) const {
    if (c.customer_id.empty()) return Invalid("customer_id", "is required");
    if (c.amount_cents < 0) return Invalid("amount_cents", "must not be negative");
    if (c.currency.size() != 3) return Invalid("currency", "must be an ISO 4217 code");
    return absl::OkStatus();
  }
  absl::Status operator()(const RecordAuthorization& c) const {
    return CheckText("authorization_id", c.authorization_id, 1, 128);
  }
  absl::Status operator()(const RecordDecline& c) const {
    return CheckText("reason", c.reason, 0, kMaxReasonChars);
  }
  absl::Status operator()(const VoidPayment& c) const {
    return CheckText("reason", c.reason, 0, kMaxReasonChars);
  }
  absl::Status operator()(const RefundPayment& c) const {
    return CheckText("reason", c.reason, 0, kMaxReasonChars);
  }
  absl::Status operator()(const ExpirePayment&) const { return absl::OkStatus(); }
  absl::Status operator()(const RecordCapture&) const { return absl::OkStatus(); }
};

struct Decider {
  const Payment& payment;

  absl::StatusOr<Events> operator()(const RequestPayment& c) const {
    if (payment.state != PaymentState::kNone) return Events{};
    PaymentEvent event;
    auto* e = event.mutable_payment_requested();
    e->set_order_id(c.order_id);
    e->set_customer_id(c.customer_id);
    e->set_amount_cents(c.amount_cents);
    e->set_currency(c.currency);
    return Events{event};
  }
  absl::StatusOr<Events> operator()(const RecordAuthorization& c) const {
    if (payment.state == PaymentState::kAuthorized) return Events{};
    if (payment.state != PaymentState::kRequested) return Refused(payment, "authorised");
    PaymentEvent event;
    auto* e = event.mutable_payment_authorized();
    e->set_order_id(c.order_id);
    e->set_amount_cents(payment.amount_cents);
    e->set_currency(payment.currency);
    e->set_authorization_id(c.authorization_id);
    return Events{event};
  }
  absl::StatusOr<Events> operator()(const RecordDecline& c) const {
    if (payment.state == PaymentState::kDeclined) return Events{};
    if (payment.state != PaymentState::kRequested) return Refused(payment, "declined");
    PaymentEvent event;
    auto* e = event.mutable_payment_declined();
    e->set_order_id(c.order_id);
    e->set_reason(c.reason);
    return Events{event};
  }
  absl::StatusOr<Events> operator()(const ExpirePayment& c) const {
    if (payment.state != PaymentState::kRequested) return Events{};
    return Voided(c.order_id, "no answer from the gateway before the payment deadline");
  }
  absl::StatusOr<Events> operator()(const VoidPayment& c) const {
    switch (payment.state) {
      case PaymentState::kRequested:
      case PaymentState::kAuthorized:
        return Voided(c.order_id, c.reason);
      case PaymentState::kCaptured:
      case PaymentState::kRefunded:
        return Refused(payment, "voided");
      default:
        return Events{};
    }
  }
  absl::StatusOr<Events> operator()(const RecordCapture& c) const {
    if (payment.state == PaymentState::kCaptured) return Events{};
    if (payment.state != PaymentState::kAuthorized) return Refused(payment, "captured");
    PaymentEvent event;
    auto* e = event.mutable_payment_captured();
    e->set_order_id(c.order_id);
    e->set_amount_cents(payment.amount_cents);
    e->set_currency(payment.currency);
    return Events{event};
  }
  absl::StatusOr<Events> operator()(const RefundPayment& c) const {
    if (payment.state == PaymentState::kRefunded) return Events{};
    if (payment.state != PaymentState::kCaptured) return Refused(payment, "refunded");
    PaymentEvent event;
    auto* e = event.mutable_payment_refunded();
    e->set_order_id(c.order_id);
    e->set_amount_cents(payment.amount_cents);
    e->set_reason(c.reason);
    return Events{event};
  }

  static Events Voided(const std::string& order_id, const std::string& reason) {
    PaymentEvent event;
    auto* e = event.mutable_payment_voided();
    e->set_order_id(order_id);
    e->set_reason(reason);
    return Events{event};
  }
};

}  // namespace

absl::Status ValidateCommand(const PaymentCommand& command) {
  if (absl::Status id = CheckIdentifier("order_id", TargetOrderId(command), kMaxOrderIdChars);
      !id.ok()) {
    return id;
  }
  return std::visit(Validator{}, command);
}

absl::StatusOr<std::vector<PaymentEvent>> Decide(const Payment& payment,
                                                 const PaymentCommand& command) {
  return std::visit(Decider{payment}, command);
}

}  // namespace ordo::domain
