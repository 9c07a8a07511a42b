// Tests of the fulfilment saga's decisions (DESIGN §11), every transition without a
// database: the happy path, each failure path, a customer cancelling in each stage, and
// inputs that repeat, come out of order or arrive after the end.
#include "command/process/fulfilment_decider.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace ordo::process {
namespace {

using Kind = SagaInput::Kind;
using ordo::v1::FulfilmentEvent;

const FulfilmentPolicy kPolicy{absl::Seconds(30), absl::Milliseconds(200)};

domain::Order ConfirmedOrder() {
  domain::Order order;
  order.order_id = "o1";
  order.customer_id = "c1";
  order.currency = "EUR";
  order.status = domain::OrderStatus::kConfirmed;
  order.lines["tea"] = {2, 450};
  order.lines["mug"] = {1, 1200};
  order.version = 4;
  return order;
}

SagaInput Input(Kind kind, std::string sku = "") {
  SagaInput in;
  in.kind = kind;
  in.order_id = "o1";
  in.event_id = "e-" + std::to_string(static_cast<int>(kind)) + sku;
  in.sku = std::move(sku);
  in.caused_by_saga = true;
  if (kind == Kind::kOrderConfirmed) in.order = ConfirmedOrder();
  return in;
}

// Decides and folds the decision's events into `f`.
Decision Step(Fulfilment& f, const SagaInput& in) {
  Decision d = Decide(f, in, kPolicy);
  for (const FulfilmentEvent& e : d.events) Apply(f, e);
  return d;
}

std::vector<std::string> StepNames(const Decision& d) {
  std::vector<std::string> names;
  for (const SagaStep& s : d.commands) names.push_back(s.step);
  return names;
}

std::set<TimerKind> Set(const Decision& d) {
  std::set<TimerKind> kinds;
  for (const TimerSet& t : d.set_timers) kinds.insert(t.kind);
  return kinds;
}

std::set<TimerKind> Cancelled(const Decision& d) {
  return {d.cancel_timers.begin(), d.cancel_timers.end()};
}

bool Sends(const Decision& d, const std::string& step) {
  const auto names = StepNames(d);
  return std::find(names.begin(), names.end(), step) != names.end();
}

Fulfilment Reserving() {
  Fulfilment f;
  Step(f, Input(Kind::kOrderConfirmed));
  return f;
}

Fulfilment Authorizing() {
  Fulfilment f = Reserving();
  Step(f, Input(Kind::kStockReserved, "tea"));
  Step(f, Input(Kind::kStockReserved, "mug"));
  return f;
}

Fulfilment Shipping() {
  Fulfilment f = Authorizing();
  Step(f, Input(Kind::kPaymentAuthorized));
  return f;
}

Fulfilment Shipped() {
  Fulfilment f = Shipping();
  SagaInput dispatched = Input(Kind::kShipmentDispatched);
  dispatched.tracking_number = "SBX1";
  dispatched.carrier = "sandbox";
  Step(f, dispatched);
  SagaInput shipped = Input(Kind::kOrderShipped);
  shipped.tracking_number = "SBX1";
  Step(f, shipped);
  return f;
}

TEST(FulfilmentSaga, ConfirmStartsAndReservesEveryLineInOneGo) {
  Fulfilment f;
  Decision d = Step(f, Input(Kind::kOrderConfirmed));
  ASSERT_EQ(d.events.size(), 1u);
  const auto& started = d.events[0].fulfilment_started();
  EXPECT_EQ(started.amount_cents(), 2 * 450 + 1200);
  EXPECT_EQ(started.lines_size(), 2);
  EXPECT_EQ(StepNames(d), (std::vector<std::string>{"reserve/mug", "reserve/tea"}));
  const auto& reserve =
      std::get<domain::ReserveStock>(std::get<domain::InventoryCommand>(d.commands[1].command));
  EXPECT_EQ(reserve.quantity, 2);
  EXPECT_EQ(f.stage, FulfilmentStage::kReservingStock);
}

TEST(FulfilmentSaga, ASecondConfirmChangesNothing) {
  Fulfilment f = Reserving();
  EXPECT_TRUE(Step(f, Input(Kind::kOrderConfirmed)).empty());
}

TEST(FulfilmentSaga, EveryLineReservedRequestsPaymentWithADeadline) {
  Fulfilment f = Reserving();
  Decision first = Step(f, Input(Kind::kStockReserved, "tea"));
  EXPECT_EQ(first.events.size(), 1u);
  EXPECT_TRUE(first.commands.empty());
  Decision last = Step(f, Input(Kind::kStockReserved, "mug"));
  ASSERT_EQ(last.events.size(), 2u);
  EXPECT_TRUE(last.events[1].has_fulfilment_payment_requested());
  EXPECT_EQ(StepNames(last), (std::vector<std::string>{"request-payment"}));
  EXPECT_EQ(Set(last),
            (std::set<TimerKind>{TimerKind::kAuthorizePayment, TimerKind::kPaymentDeadline}));
  EXPECT_EQ(last.set_timers[1].delay, absl::Seconds(30));
  EXPECT_EQ(f.stage, FulfilmentStage::kAuthorizingPayment);
}

TEST(FulfilmentSaga, ARepeatedReservationChangesNothing) {
  Fulfilment f = Reserving();
  Step(f, Input(Kind::kStockReserved, "tea"));
  EXPECT_TRUE(Step(f, Input(Kind::kStockReserved, "tea")).empty());
}

TEST(FulfilmentSaga, ARejectedLineWaitsForEveryAnswerThenReleasesAndCancels) {
  Fulfilment f = Reserving();
  Decision rejected = Step(f, Input(Kind::kStockRejected, "tea"));
  EXPECT_TRUE(rejected.commands.empty());  // the mug's answer is still to come
  Decision last = Step(f, Input(Kind::kStockReserved, "mug"));
  EXPECT_EQ(StepNames(last),
            (std::vector<std::string>{"release/mug", "release/tea", "cancel-order"}));
  EXPECT_TRUE(last.commands[2].refusal_is_done);
  ASSERT_TRUE(last.events.back().has_fulfilment_cancelled());
  EXPECT_EQ(last.events.back().fulfilment_cancelled().reason(), kOutOfStock);
  EXPECT_EQ(last.events.back().fulfilment_cancelled().detail(), "out of stock: tea");
  EXPECT_EQ(f.stage, FulfilmentStage::kCancelled);
}

TEST(FulfilmentSaga, AuthorizedRequestsTheShipmentAndDropsTheDeadline) {
  Fulfilment f = Authorizing();
  Decision d = Step(f, Input(Kind::kPaymentAuthorized));
  EXPECT_EQ(StepNames(d), (std::vector<std::string>{"request-shipment"}));
  EXPECT_EQ(Set(d), (std::set<TimerKind>{TimerKind::kDispatchShipment}));
  EXPECT_EQ(d.set_timers[0].delay, absl::Milliseconds(200));
  EXPECT_EQ(Cancelled(d), (std::set<TimerKind>{TimerKind::kPaymentDeadline}));
  EXPECT_EQ(f.stage, FulfilmentStage::kShipping);
}

TEST(FulfilmentSaga, DeclinedReleasesAndCancelsWithoutAVoid) {
  Fulfilment f = Authorizing();
  SagaInput declined = Input(Kind::kPaymentDeclined);
  declined.reason = "card declined";
  Decision d = Step(f, declined);
  EXPECT_EQ(StepNames(d), (std::vector<std::string>{"release/mug", "release/tea", "cancel-order"}));
  EXPECT_EQ(Set(d), std::set<TimerKind>{});
  EXPECT_EQ(f.reason, kPaymentDeclined);
  EXPECT_EQ(d.events.back().fulfilment_cancelled().detail(), "payment declined: card declined");
}

TEST(FulfilmentSaga, TheDeadlineVoidReleasesAndCancelsAsTimedOut) {
  Fulfilment f = Authorizing();
  Decision d = Step(f, Input(Kind::kPaymentVoided));
  EXPECT_TRUE(Sends(d, "release/tea"));
  EXPECT_TRUE(Sends(d, "void-payment"));
  EXPECT_TRUE(Sends(d, "cancel-order"));
  EXPECT_EQ(Set(d), (std::set<TimerKind>{TimerKind::kVoidPayment}));
  EXPECT_TRUE(Cancelled(d).count(TimerKind::kAuthorizePayment));
  EXPECT_EQ(f.reason, kPaymentTimeout);
}

TEST(FulfilmentSaga, DispatchedThenShippedCommitsStockAndCaptures) {
  Fulfilment f = Shipping();
  SagaInput dispatched = Input(Kind::kShipmentDispatched);
  dispatched.tracking_number = "SBX1";
  dispatched.carrier = "sandbox";
  Decision d1 = Step(f, dispatched);
  ASSERT_EQ(d1.events.size(), 1u);
  EXPECT_EQ(d1.events[0].fulfilment_shipment_dispatched().carrier(), "sandbox");
  EXPECT_TRUE(d1.commands.empty());  // the shipping policy ships the order, not the saga
  SagaInput shipped = Input(Kind::kOrderShipped);
  shipped.tracking_number = "SBX1";
  Decision d2 = Step(f, shipped);
  EXPECT_EQ(StepNames(d2), (std::vector<std::string>{"commit/mug", "commit/tea"}));
  EXPECT_EQ(Set(d2), (std::set<TimerKind>{TimerKind::kCapturePayment}));
  EXPECT_TRUE(f.shipped);
  EXPECT_TRUE(Step(f, shipped).empty());  // a repeat
  Decision d3 = Step(f, Input(Kind::kPaymentCaptured));
  ASSERT_EQ(d3.events.size(), 1u);
  EXPECT_TRUE(d3.events[0].has_fulfilment_completed());
  EXPECT_EQ(f.stage, FulfilmentStage::kCompleted);
}

TEST(FulfilmentSaga, ACustomerCancelWhileReservingReleasesEveryLine) {
  Fulfilment f = Reserving();
  Step(f, Input(Kind::kStockReserved, "tea"));
  Decision d = Step(f, Input(Kind::kOrderCancelled));
  EXPECT_EQ(StepNames(d), (std::vector<std::string>{"release/mug", "release/tea"}));
  EXPECT_EQ(f.reason, kOrderCancelled);
  // The mug's reservation arrives after the end: released at once.
  Decision late = Step(f, Input(Kind::kStockReserved, "mug"));
  ASSERT_EQ(late.commands.size(), 1u);
  EXPECT_EQ(late.commands[0].step.rfind("release/mug/", 0), 0u);
  EXPECT_TRUE(late.events.empty());
}

TEST(FulfilmentSaga, ACustomerCancelWhileAuthorizingVoidsAndReleases) {
  Fulfilment f = Authorizing();
  Decision d = Step(f, Input(Kind::kOrderCancelled));
  EXPECT_EQ(StepNames(d), (std::vector<std::string>{"release/mug", "release/tea", "void-payment"}));
  EXPECT_EQ(Set(d), (std::set<TimerKind>{TimerKind::kVoidPayment}));
  // A late authorisation is voided, never captured.
  Decision late = Step(f, Input(Kind::kPaymentAuthorized));
  ASSERT_EQ(late.commands.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<domain::PaymentCommand>(late.commands[0].command));
  EXPECT_EQ(Set(late), (std::set<TimerKind>{TimerKind::kVoidPayment}));
  EXPECT_EQ(f.stage, FulfilmentStage::kCancelled);
}

TEST(FulfilmentSaga, ACustomerCancelWhileShippingAlsoCancelsTheShipment) {
  Fulfilment f = Shipping();
  Decision d = Step(f, Input(Kind::kOrderCancelled));
  EXPECT_TRUE(Sends(d, "cancel-shipment"));
  EXPECT_TRUE(Sends(d, "void-payment"));
  EXPECT_FALSE(Sends(d, "cancel-order"));  // the customer did
  EXPECT_TRUE(Cancelled(d).count(TimerKind::kDispatchShipment));
  EXPECT_EQ(f.stage, FulfilmentStage::kCancelled);
}

TEST(FulfilmentSaga, InputsAfterTheEndChangeNothing) {
  Fulfilment completed = Shipped();
  Step(completed, Input(Kind::kPaymentCaptured));
  for (Kind kind : {Kind::kOrderCancelled, Kind::kPaymentCaptured, Kind::kOrderShipped,
                    Kind::kPaymentAuthorized, Kind::kStockRejected}) {
    EXPECT_TRUE(Step(completed, Input(kind, "tea")).empty()) << static_cast<int>(kind);
  }
  Fulfilment cancelled = Authorizing();
  Step(cancelled, Input(Kind::kPaymentVoided));
  for (Kind kind : {Kind::kOrderCancelled, Kind::kPaymentVoided, Kind::kPaymentDeclined,
                    Kind::kShipmentDispatched, Kind::kStockRejected, Kind::kOrderConfirmed}) {
    EXPECT_TRUE(Step(cancelled, Input(kind, "tea")).empty()) << static_cast<int>(kind);
  }
}

TEST(FulfilmentSaga, InputsForALaterStageAreIgnoredUntilTheirTurn) {
  Fulfilment f = Reserving();
  EXPECT_TRUE(Step(f, Input(Kind::kPaymentAuthorized)).empty());
  EXPECT_TRUE(Step(f, Input(Kind::kPaymentCaptured)).empty());
  EXPECT_TRUE(Step(f, Input(Kind::kShipmentDispatched)).empty());
  EXPECT_EQ(f.stage, FulfilmentStage::kReservingStock);
}

TEST(FulfilmentSaga, AnOrderShippedBeforeItsPaymentIsAnAnomaly) {
  Fulfilment f = Authorizing();
  Decision d = Step(f, Input(Kind::kOrderShipped));
  EXPECT_TRUE(absl::IsFailedPrecondition(d.anomaly));
  EXPECT_TRUE(d.events.empty() && d.commands.empty());
}

TEST(FulfilmentSaga, EventsOfOrdersWithoutASagaAreIgnoredUnlessTheSagaCausedThem) {
  Fulfilment none;
  SagaInput foreign = Input(Kind::kStockReserved, "tea");
  foreign.caused_by_saga = false;
  EXPECT_TRUE(Decide(none, foreign, kPolicy).empty());
  SagaInput own = Input(Kind::kStockReserved, "tea");
  EXPECT_TRUE(absl::IsFailedPrecondition(Decide(none, own, kPolicy).anomaly));
  // An order cancelled before it was ever confirmed gets no fulfilment.
  SagaInput cancelled = Input(Kind::kOrderCancelled);
  cancelled.caused_by_saga = false;
  EXPECT_TRUE(Decide(none, cancelled, kPolicy).empty());
}

TEST(FulfilmentSaga, AReservationTheSagaNeverAskedForIsAnAnomaly) {
  Fulfilment f = Reserving();
  EXPECT_TRUE(absl::IsFailedPrecondition(Step(f, Input(Kind::kStockReserved, "cup")).anomaly));
  SagaInput foreign = Input(Kind::kStockReserved, "cup");
  foreign.caused_by_saga = false;
  EXPECT_TRUE(Step(f, foreign).empty());
}

TEST(FulfilmentSaga, TimerKindsRoundTripTheirNames) {
  for (TimerKind kind :
       {TimerKind::kAuthorizePayment, TimerKind::kPaymentDeadline, TimerKind::kDispatchShipment,
        TimerKind::kCapturePayment, TimerKind::kVoidPayment}) {
    EXPECT_EQ(TimerKindFromName(TimerKindName(kind)), kind);
  }
  EXPECT_FALSE(TimerKindFromName("nap").has_value());
}

}  // namespace
}  // namespace ordo::process
