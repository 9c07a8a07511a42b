// Tests of the Payment aggregate's rules (DESIGN §11): a payment is captured at most once,
// only after authorisation; a void makes a late authorisation impossible; repeats are
// no-ops.
#include "command/domain/payment/payment_decider.h"

#include <gtest/gtest.h>

namespace ordo::domain {
namespace {

using ordo::v1::PaymentEvent;

absl::StatusOr<std::vector<PaymentEvent>> Execute(Payment& payment, const PaymentCommand& c) {
  absl::StatusOr<std::vector<PaymentEvent>> events = Decide(payment, c);
  if (events.ok()) {
    for (const PaymentEvent& event : *events) Apply(payment, event);
  }
  return events;
}

Payment Requested() {
  Payment payment;
  EXPECT_EQ(Execute(payment, RequestPayment{"o1", "c1", 1500, "EUR"})->size(), 1u);
  return payment;
}

TEST(PaymentAggregate, AuthorizedThenCapturedOnce) {
  Payment payment = Requested();
  ASSERT_EQ(Execute(payment, RecordAuthorization{"o1", "auth-1"})->size(), 1u);
  EXPECT_TRUE(Execute(payment, RecordAuthorization{"o1", "auth-1"})->empty());
  auto captured = Execute(payment, RecordCapture{"o1"});
  ASSERT_EQ(captured->size(), 1u);
  EXPECT_EQ((*captured)[0].payment_captured().amount_cents(), 1500);
  EXPECT_TRUE(Execute(payment, RecordCapture{"o1"})->empty());  // never twice
  EXPECT_EQ(payment.state, PaymentState::kCaptured);
}

TEST(PaymentAggregate, CaptureNeedsAnAuthorisation) {
  Payment payment = Requested();
  EXPECT_TRUE(absl::IsFailedPrecondition(Execute(payment, RecordCapture{"o1"}).status()));
}

TEST(PaymentAggregate, AnAuthorisationAfterAVoidIsRefused) {
  Payment payment = Requested();
  ASSERT_EQ(Execute(payment, ExpirePayment{"o1"})->size(), 1u);
  EXPECT_EQ(payment.state, PaymentState::kVoided);
  EXPECT_TRUE(
      absl::IsFailedPrecondition(Execute(payment, RecordAuthorization{"o1", "late"}).status()));
  EXPECT_TRUE(absl::IsFailedPrecondition(Execute(payment, RecordCapture{"o1"}).status()));
}

TEST(PaymentAggregate, TheDeadlineVoidsOnlyAnUnansweredPayment) {
  Payment payment = Requested();
  ASSERT_TRUE(Execute(payment, RecordAuthorization{"o1", "auth-1"}).ok());
  EXPECT_TRUE(Execute(payment, ExpirePayment{"o1"})->empty());
  EXPECT_EQ(payment.state, PaymentState::kAuthorized);
}

TEST(PaymentAggregate, VoidUndoesAnAuthorisationButNotACapture) {
  Payment payment = Requested();
  ASSERT_TRUE(Execute(payment, RecordAuthorization{"o1", "auth-1"}).ok());
  EXPECT_EQ(Execute(payment, VoidPayment{"o1", "order cancelled"})->size(), 1u);
  EXPECT_TRUE(Execute(payment, VoidPayment{"o1", "again"})->empty());
  Payment captured = Requested();
  ASSERT_TRUE(Execute(captured, RecordAuthorization{"o1", "a"}).ok());
  ASSERT_TRUE(Execute(captured, RecordCapture{"o1"}).ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(Execute(captured, VoidPayment{"o1", "x"}).status()));
  EXPECT_EQ(Execute(captured, RefundPayment{"o1", "returned"})->size(), 1u);
}

TEST(PaymentAggregate, DeclineOnlyWhileRequested) {
  Payment payment = Requested();
  EXPECT_EQ(Execute(payment, RecordDecline{"o1", "card declined"})->size(), 1u);
  EXPECT_TRUE(Execute(payment, RecordDecline{"o1", "card declined"})->empty());
  EXPECT_TRUE(Execute(payment, VoidPayment{"o1", "nothing to void"})->empty());
  EXPECT_TRUE(Execute(payment, RequestPayment{"o1", "c1", 1500, "EUR"})->empty());
}

TEST(PaymentAggregate, ValidationNamesTheField) {
  EXPECT_EQ(ValidateCommand(RequestPayment{"o:1", "c1", 1, "EUR"}).message().rfind("order_id", 0),
            0u);
  EXPECT_EQ(ValidateCommand(RequestPayment{"o1", "", 1, "EUR"}).message().rfind("customer_id", 0),
            0u);
  EXPECT_EQ(ValidateCommand(RequestPayment{"o1", "c1", -1, "EUR"}).message().rfind("amount", 0),
            0u);
  EXPECT_TRUE(ValidateCommand(RequestPayment{"o1", "c1", 0, "EUR"}).ok());
}

}  // namespace
}  // namespace ordo::domain
