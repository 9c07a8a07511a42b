// The fulfilment saga's timers: gateway, deadline and carrier work.
#include "command/process/fulfilment_activities.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status_macros.h"
#include "events/fulfilment_events.h"
#include "events/payment_events.h"

namespace ordo::process {
namespace {

// The gateway's idempotency keys, one per operation of an instance.
std::string AuthorizationKey(const StepOrigin& origin) {
  return absl::StrCat(origin.instance, "/authorize");
}

SagaStep Step(const char* name, domain::PaymentCommand command, bool refusal_is_done = false) {
  return SagaStep{name, std::move(command), refusal_is_done};
}

}  // namespace

absl::Status FulfilmentActivities::Fire(const store::Timer& timer) {
  std::optional<std::string> order_id = events::OrderIdOfFulfilmentStream(timer.key.instance);
  std::optional<TimerKind> kind = TimerKindFromName(timer.key.kind);
  if (!order_id || !kind) {
    return absl::InvalidArgumentError(
        absl::StrCat("no such timer: ", timer.key.kind, " of ", timer.key.instance));
  }
  const StepOrigin origin{timer.key.instance, timer.correlation_id, timer.causation_id,
                          timer.traceparent};
  switch (*kind) {
    case TimerKind::kAuthorizePayment:
      return AuthorizePayment(*order_id, origin);
    case TimerKind::kPaymentDeadline:
      return ExpirePayment(*order_id, origin);
    case TimerKind::kCapturePayment:
      return CapturePayment(*order_id, origin);
    case TimerKind::kVoidPayment:
      return VoidPayment(origin);
    case TimerKind::kDispatchShipment:
      return DispatchShipment(*order_id, origin);
  }
  return absl::OkStatus();
}

absl::Status FulfilmentActivities::AuthorizePayment(const std::string& order_id,
                                                    const StepOrigin& origin) {
  ORDO_ASSIGN_OR_RETURN(domain::Payment payment,
                        commands_.payments().Current(events::PaymentStreamId(order_id),
                                                     absl::Now() + commands_.timeout()));
  if (payment.state != domain::PaymentState::kRequested) return absl::OkStatus();
  ORDO_ASSIGN_OR_RETURN(AuthorizationAnswer answer,
                        gateway_.Authorize(AuthorizationKey(origin), payment.customer_id,
                                           payment.amount_cents, payment.currency));
  switch (answer.outcome) {
    case AuthorizationAnswer::Outcome::kAuthorized: {
      absl::Status recorded =
          commands_.Send(Step("record-authorization",
                              domain::RecordAuthorization{order_id, answer.authorization_id}),
                         origin);
      // Voided meanwhile (the deadline, or the customer): void the late authorisation.
      if (absl::IsFailedPrecondition(recorded)) return VoidPayment(origin);
      return recorded;
    }
    case AuthorizationAnswer::Outcome::kDeclined:
      return commands_.Send(
          Step("record-decline", domain::RecordDecline{order_id, answer.reason}, true), origin);
    case AuthorizationAnswer::Outcome::kNoAnswer:
      return absl::OkStatus();  // the payment deadline decides
  }
  return absl::OkStatus();
}

absl::Status FulfilmentActivities::ExpirePayment(const std::string& order_id,
                                                 const StepOrigin& origin) {
  ORDO_RETURN_IF_ERROR(
      commands_.Send(Step("expire-payment", domain::ExpirePayment{order_id}), origin));
  ORDO_ASSIGN_OR_RETURN(domain::Payment payment,
                        commands_.payments().Current(events::PaymentStreamId(order_id),
                                                     absl::Now() + commands_.timeout()));
  // Voided by the deadline: an authorisation the gateway might still send is void too.
  if (payment.state == domain::PaymentState::kVoided) return VoidPayment(origin);
  return absl::OkStatus();
}

absl::Status FulfilmentActivities::CapturePayment(const std::string& order_id,
                                                  const StepOrigin& origin) {
  ORDO_ASSIGN_OR_RETURN(domain::Payment payment,
                        commands_.payments().Current(events::PaymentStreamId(order_id),
                                                     absl::Now() + commands_.timeout()));
  if (payment.state == domain::PaymentState::kCaptured) return absl::OkStatus();
  ORDO_RETURN_IF_ERROR(gateway_.Capture(absl::StrCat(origin.instance, "/capture"),
                                        AuthorizationKey(origin), payment.amount_cents));
  return commands_.Send(Step("record-capture", domain::RecordCapture{order_id}), origin);
}

absl::Status FulfilmentActivities::VoidPayment(const StepOrigin& origin) {
  return gateway_.Void(absl::StrCat(origin.instance, "/void"), AuthorizationKey(origin));
}

absl::Status FulfilmentActivities::DispatchShipment(const std::string& order_id,
                                                    const StepOrigin& origin) {
  ORDO_ASSIGN_OR_RETURN(Collection collection, carrier_.Collect(order_id));
  // Refused when the shipment was cancelled meanwhile: nothing to collect.
  return commands_.Send(SagaStep{"dispatch-shipment",
                                 domain::ShipmentCommand(domain::DispatchShipment{
                                     order_id, collection.tracking_number, collection.carrier}),
                                 /*refusal_is_done=*/true},
                        origin);
}

}  // namespace ordo::process
