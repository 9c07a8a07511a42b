// The Payment aggregate's rules (DESIGN §11): given the payment's state and a command, the
// events to append (none for a repeat), or the rule that forbids it. Pure.
//   RequestPayment       PaymentRequested for a new payment; nothing for any other.
//   RecordAuthorization  PaymentAuthorized when requested; nothing when authorised already;
//                        FAILED_PRECONDITION once voided or declined (the caller voids the
//                        authorisation at the gateway: a late one is never captured).
//   RecordDecline        PaymentDeclined when requested; nothing when declined already.
//   ExpirePayment        PaymentVoided when still unanswered; nothing otherwise.
//   VoidPayment          PaymentVoided when requested or authorised; nothing when there is
//                        nothing to void; FAILED_PRECONDITION once captured.
//   RecordCapture        PaymentCaptured when authorised; nothing when captured already:
//                        never twice. FAILED_PRECONDITION otherwise.
//   RefundPayment        PaymentRefunded when captured; nothing when refunded already.
#ifndef ORDO_COMMAND_DOMAIN_PAYMENT_PAYMENT_DECIDER_H_
#define ORDO_COMMAND_DOMAIN_PAYMENT_PAYMENT_DECIDER_H_

#include <vector>

#include "absl/status/statusor.h"
#include "command/domain/payment/payment.h"
#include "command/domain/payment/payment_commands.h"
#include "ordo/v1/payment_events.pb.h"

namespace ordo::domain {

// INVALID_ARGUMENT naming the field.
absl::Status ValidateCommand(const PaymentCommand& command);

// `command` must have passed ValidateCommand.
absl::StatusOr<std::vector<ordo::v1::PaymentEvent>> Decide(const Payment& payment,
                                                           const PaymentCommand& command);

}  // namespace ordo::domain

#endif  // ORDO_COMMAND_DOMAIN_PAYMENT_PAYMENT_DECIDER_H_
