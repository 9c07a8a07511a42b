// The fulfilment saga's decisions.
#include "command/process/fulfilment_decider.h"

#include "absl/strings/str_cat.h"

namespace ordo::process {
namespace {

using ordo::v1::FulfilmentEvent;
using Kind = SagaInput::Kind;

constexpr std::pair<TimerKind, const char*> kTimerNames[] = {
    {TimerKind::kAuthorizePayment, "authorize_payment"},
    {TimerKind::kPaymentDeadline, "payment_deadline"},
    {TimerKind::kDispatchShipment, "dispatch_shipment"},
    {TimerKind::kCapturePayment, "capture_payment"},
    {TimerKind::kVoidPayment, "void_payment"},
};

const char* StageName(FulfilmentStage stage) {
  switch (stage) {
    case FulfilmentStage::kNone:
      return "not started";
    case FulfilmentStage::kReservingStock:
      return "reserving stock";
    case FulfilmentStage::kAuthorizingPayment:
      return "authorizing payment";
    case FulfilmentStage::kShipping:
      return "shipping";
    case FulfilmentStage::kCompleted:
      return "completed";
    case FulfilmentStage::kCancelled:
      return "cancelled";
  }
  return "?";
}

bool Running(const Fulfilment& f) {
  return f.stage == FulfilmentStage::kReservingStock ||
         f.stage == FulfilmentStage::kAuthorizingPayment || f.stage == FulfilmentStage::kShipping;
}

bool PaymentRequested(const Fulfilment& f) {
  return f.stage == FulfilmentStage::kAuthorizingPayment || f.stage == FulfilmentStage::kShipping;
}

// The saga's events, applied as they are decided so that later steps see them.
class Builder {
 public:
  Builder(const Fulfilment& f, const SagaInput& input) : state_(f), input_(input) {}

  const Fulfilment& state() const { return state_; }
  Decision Take() { return std::move(decision_); }

  void Record(FulfilmentEvent event) {
    Apply(state_, event);
    decision_.events.push_back(std::move(event));
  }
  void Send(std::string step, SagaCommand command, bool refusal_is_done = false) {
    decision_.commands.push_back({std::move(step), std::move(command), refusal_is_done});
  }
  void SetTimer(TimerKind kind, absl::Duration delay) {
    decision_.set_timers.push_back({kind, delay});
  }
  void CancelTimer(TimerKind kind) { decision_.cancel_timers.push_back(kind); }
  void Anomaly(const std::string& why) {
    decision_ = Decision{};
    decision_.anomaly = absl::FailedPreconditionError(
        absl::StrCat("fulfilment of order ", input_.order_id, ": ", why));
  }

  // Releases every line: a release of a reservation that does not exist is a no-op, so
  // this also covers answers still on their way.
  void ReleaseAll() {
    for (const auto& [sku, line] : state_.lines) {
      Send(absl::StrCat("release/", sku),
           domain::InventoryCommand(domain::ReleaseStock{sku, state_.order_id}));
    }
  }

  // Undoes what was done, then ends the saga CANCELLED with `reason`.
  // `void_payment`: false when the gateway declined it (nothing to void).
  void Cancel(const char* reason, const std::string& detail, bool cancel_order,
              bool void_payment = true) {
    const std::string& order_id = state_.order_id;
    ReleaseAll();
    if (void_payment && PaymentRequested(state_)) {
      Send("void-payment", domain::PaymentCommand(domain::VoidPayment{order_id, detail}));
      SetTimer(TimerKind::kVoidPayment, absl::ZeroDuration());
    }
    if (state_.stage == FulfilmentStage::kShipping) {
      Send("cancel-shipment", domain::ShipmentCommand(domain::CancelShipment{order_id, detail}));
    }
    if (cancel_order) {
      // Refused when its customer cancelled it meanwhile: cancelled all the same.
      Send("cancel-order", domain::OrderCommand(domain::CancelOrder{order_id, detail}),
           /*refusal_is_done=*/true);
    }
    CancelTimer(TimerKind::kAuthorizePayment);
    CancelTimer(TimerKind::kPaymentDeadline);
    CancelTimer(TimerKind::kDispatchShipment);
    FulfilmentEvent event;
    auto* e = event.mutable_fulfilment_cancelled();
    e->set_order_id(order_id);
    e->set_reason(reason);
    e->set_detail(detail);
    Record(std::move(event));
  }

 private:
  Fulfilment state_;
  const SagaInput& input_;
  Decision decision_;
};

void Start(Builder& b, const SagaInput& in, const FulfilmentPolicy& policy);

void RequestPayment(Builder& b, const FulfilmentPolicy& policy) {
  const Fulfilment& f = b.state();
  FulfilmentEvent event;
  auto* e = event.mutable_fulfilment_payment_requested();
  e->set_order_id(f.order_id);
  e->set_amount_cents(f.amount_cents);
  e->set_currency(f.currency);
  b.Record(std::move(event));
  b.Send("request-payment", domain::PaymentCommand(domain::RequestPayment{
                                f.order_id, f.customer_id, f.amount_cents, f.currency}));
  b.SetTimer(TimerKind::kAuthorizePayment, absl::ZeroDuration());
  b.SetTimer(TimerKind::kPaymentDeadline, policy.payment_timeout);
}

// After a line's answer: once every line has one, the next step.
void AfterLineAnswered(Builder& b, const FulfilmentPolicy& policy) {
  std::string rejected;
  for (const auto& [sku, line] : b.state().lines) {
    if (line.status == LineStatus::kPending) return;
    if (line.status == LineStatus::kRejected && rejected.empty()) rejected = sku;
  }
  if (!rejected.empty()) {
    b.Cancel(kOutOfStock, absl::StrCat("out of stock: ", rejected), /*cancel_order=*/true);
  } else {
    RequestPayment(b, policy);
  }
}

void Start(Builder& b, const SagaInput& in, const FulfilmentPolicy& policy) {
  if (!in.order) {
    b.Anomaly("OrderConfirmed without the order it confirmed");
    return;
  }
  const domain::Order& order = *in.order;
  FulfilmentEvent event;
  auto* e = event.mutable_fulfilment_started();
  e->set_order_id(in.order_id);
  e->set_customer_id(order.customer_id);
  e->set_currency(order.currency);
  int64_t amount = 0;
  for (const auto& [sku, line] : order.lines) {
    auto* l = e->add_lines();
    l->set_sku(sku);
    l->set_quantity(line.quantity);
    amount += line.quantity * line.unit_price_cents;
  }
  e->set_amount_cents(amount);
  b.Record(std::move(event));
  for (const auto& [sku, line] : order.lines) {
    b.Send(absl::StrCat("reserve/", sku),
           domain::InventoryCommand(domain::ReserveStock{sku, in.order_id, line.quantity}));
  }
  if (order.lines.empty()) RequestPayment(b, policy);
}

void OnStockAnswer(Builder& b, const SagaInput& in, const FulfilmentPolicy& policy) {
  const Fulfilment& f = b.state();
  const bool reserved = in.kind == Kind::kStockReserved;
  if (f.stage == FulfilmentStage::kCancelled && reserved) {
    // After the end: nothing may stay reserved.
    b.Send(absl::StrCat("release/", in.sku, "/", in.event_id),
           domain::InventoryCommand(domain::ReleaseStock{in.sku, in.order_id}));
    return;
  }
  if (f.stage != FulfilmentStage::kReservingStock) return;  // a repeat, or after the end
  auto line = f.lines.find(in.sku);
  if (line == f.lines.end()) {
    if (in.caused_by_saga)
      b.Anomaly(absl::StrCat("a reservation of sku ", in.sku, " it never asked for"));
    return;
  }
  if (line->second.status != LineStatus::kPending) return;  // answered already
  FulfilmentEvent event;
  if (reserved) {
    auto* e = event.mutable_fulfilment_line_reserved();
    e->set_order_id(in.order_id);
    e->set_sku(in.sku);
  } else {
    auto* e = event.mutable_fulfilment_line_rejected();
    e->set_order_id(in.order_id);
    e->set_sku(in.sku);
  }
  b.Record(std::move(event));
  AfterLineAnswered(b, policy);
}

void OnPaymentAuthorized(Builder& b, const SagaInput& in, const FulfilmentPolicy& policy) {
  const Fulfilment& f = b.state();
  if (f.stage == FulfilmentStage::kCancelled) {
    // An authorisation after the end is voided at once: it is never captured.
    b.Send(absl::StrCat("void-payment/", in.event_id),
           domain::PaymentCommand(domain::VoidPayment{in.order_id, "authorised after the end"}));
    b.SetTimer(TimerKind::kVoidPayment, absl::ZeroDuration());
    return;
  }
  if (f.stage != FulfilmentStage::kAuthorizingPayment) return;
  FulfilmentEvent event;
  event.mutable_fulfilment_shipment_requested()->set_order_id(in.order_id);
  b.Record(std::move(event));
  b.CancelTimer(TimerKind::kPaymentDeadline);
  b.Send("request-shipment", domain::ShipmentCommand(domain::RequestShipment{in.order_id}));
  b.SetTimer(TimerKind::kDispatchShipment, policy.carrier_delay);
}

void OnOrderShipped(Builder& b, const SagaInput& in) {
  const Fulfilment& f = b.state();
  if (f.stage == FulfilmentStage::kNone || f.stage == FulfilmentStage::kCompleted ||
      (f.stage == FulfilmentStage::kShipping && f.shipped)) {
    return;  // not the saga's, or a repeat
  }
  if (f.stage != FulfilmentStage::kShipping) {
    b.Anomaly(absl::StrCat("the order shipped while its fulfilment was ", StageName(f.stage)));
    return;
  }
  FulfilmentEvent event;
  auto* e = event.mutable_fulfilment_shipped();
  e->set_order_id(in.order_id);
  e->set_tracking_number(in.tracking_number);
  b.Record(std::move(event));
  for (const auto& [sku, line] : b.state().lines) {
    b.Send(absl::StrCat("commit/", sku),
           domain::InventoryCommand(domain::CommitStock{sku, in.order_id}));
  }
  b.SetTimer(TimerKind::kCapturePayment, absl::ZeroDuration());
}

}  // namespace

const char* TimerKindName(TimerKind kind) {
  for (const auto& [k, name] : kTimerNames) {
    if (k == kind) return name;
  }
  return "";
}

std::optional<TimerKind> TimerKindFromName(const std::string& name) {
  for (const auto& [k, n] : kTimerNames) {
    if (name == n) return k;
  }
  return std::nullopt;
}

Decision Decide(const Fulfilment& fulfilment, const SagaInput& in, const FulfilmentPolicy& policy) {
  Builder b(fulfilment, in);
  const Fulfilment& f = b.state();
  if (f.stage == FulfilmentStage::kNone && in.kind != Kind::kOrderConfirmed) {
    // Events of orders the saga never started: not its business, unless its own command
    // caused them.
    if (in.caused_by_saga) b.Anomaly("no fulfilment was started for this order");
    return b.Take();
  }
  switch (in.kind) {
    case Kind::kOrderConfirmed:
      if (f.stage == FulfilmentStage::kNone) Start(b, in, policy);
      break;
    case Kind::kStockReserved:
    case Kind::kStockRejected:
      OnStockAnswer(b, in, policy);
      break;
    case Kind::kPaymentAuthorized:
      OnPaymentAuthorized(b, in, policy);
      break;
    case Kind::kPaymentDeclined:
      if (f.stage == FulfilmentStage::kAuthorizingPayment) {
        b.Cancel(kPaymentDeclined, absl::StrCat("payment declined: ", in.reason),
                 /*cancel_order=*/true, /*void_payment=*/false);
      }
      break;
    case Kind::kPaymentVoided:
      // Voided by the deadline (the saga's own voids come after its end).
      if (f.stage == FulfilmentStage::kAuthorizingPayment) {
        b.Cancel(kPaymentTimeout,
                 absl::StrCat("payment timed out: no answer within ",
                              absl::FormatDuration(policy.payment_timeout)),
                 /*cancel_order=*/true);
      }
      break;
    case Kind::kOrderCancelled:
      if (Running(f) && !f.shipped) {
        b.Cancel(kOrderCancelled, absl::StrCat("order cancelled: ", in.reason),
                 /*cancel_order=*/false);
      }
      break;
    case Kind::kShipmentDispatched:
      if (f.stage == FulfilmentStage::kShipping && f.tracking_number.empty()) {
        FulfilmentEvent event;
        auto* e = event.mutable_fulfilment_shipment_dispatched();
        e->set_order_id(in.order_id);
        e->set_tracking_number(in.tracking_number);
        e->set_carrier(in.carrier);
        b.Record(std::move(event));
      }
      break;
    case Kind::kOrderShipped:
      OnOrderShipped(b, in);
      break;
    case Kind::kPaymentCaptured:
      if (f.stage == FulfilmentStage::kShipping && f.shipped) {
        FulfilmentEvent event;
        event.mutable_fulfilment_completed()->set_order_id(in.order_id);
        b.Record(std::move(event));
      }
      break;
  }
  return b.Take();
}

}  // namespace ordo::process
