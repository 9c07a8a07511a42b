// The fulfilment saga's decisions (DESIGN §11): given the saga's state and one input (an
// event of the order, its stock, payment or shipment, in log order), what to record in the
// saga's stream, which commands to send and which timers to set or cancel. Pure: the
// runner (fulfilment_saga.h) does the I/O, so every transition is a unit test.
//
//   OrderConfirmed             -> Started; ReserveStock for every line, in one go.
//   every line answered        -> all reserved: PaymentRequested; RequestPayment, timers
//                                 to authorise now and for the payment deadline.
//                                 One rejected: release, CancelOrder -> OUT_OF_STOCK.
//   PaymentAuthorized          -> ShipmentRequested; RequestShipment, the carrier's timer.
//   PaymentDeclined            -> release, CancelOrder -> PAYMENT_DECLINED.
//   PaymentVoided (deadline)   -> release, CancelOrder -> PAYMENT_TIMEOUT.
//   ShipmentDispatched         -> ShipmentDispatched (the policy ships the order).
//   OrderShipped               -> Shipped; CommitStock for every line, capture timer.
//   PaymentCaptured            -> Completed.
//   OrderCancelled (running)   -> release, void, cancel the shipment -> ORDER_CANCELLED.
// Inputs that repeat or arrive after the end change nothing, except that a reservation or
// an authorisation that shows up after the end is undone at once. An input that
// contradicts the saga (an order shipped before its payment was authorised, a reply the
// saga's own command caused for an order it has no record of) is an anomaly: the runner
// parks it.
#ifndef ORDO_COMMAND_PROCESS_FULFILMENT_DECIDER_H_
#define ORDO_COMMAND_PROCESS_FULFILMENT_DECIDER_H_

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "command/domain/inventory/inventory_commands.h"
#include "command/domain/order.h"
#include "command/domain/order_commands.h"
#include "command/domain/payment/payment_commands.h"
#include "command/domain/shipment/shipment_commands.h"
#include "command/process/fulfilment.h"
#include "ordo/v1/fulfilment_events.pb.h"

namespace ordo::process {

// The `reason` of a cancelled fulfilment (FulfilmentQueryService).
inline constexpr char kOutOfStock[] = "OUT_OF_STOCK";
inline constexpr char kPaymentDeclined[] = "PAYMENT_DECLINED";
inline constexpr char kPaymentTimeout[] = "PAYMENT_TIMEOUT";
inline constexpr char kOrderCancelled[] = "ORDER_CANCELLED";

struct FulfilmentPolicy {
  absl::Duration payment_timeout = absl::Seconds(30);
  absl::Duration carrier_delay = absl::Milliseconds(200);
};

struct SagaInput {
  enum class Kind {
    kOrderConfirmed,
    kOrderCancelled,
    kOrderShipped,
    kStockReserved,
    kStockRejected,
    kPaymentAuthorized,
    kPaymentDeclined,
    kPaymentVoided,
    kPaymentCaptured,
    kShipmentDispatched,
  };
  Kind kind;
  std::string order_id;
  std::string event_id;         // of the triggering event: names steps that answer it alone
  std::string sku;              // stock inputs
  std::string tracking_number;  // OrderShipped, ShipmentDispatched
  std::string carrier;          // ShipmentDispatched
  std::string reason;           // OrderCancelled, PaymentDeclined
  // Whether the event was caused by one of this saga's commands (its request id says so).
  bool caused_by_saga = false;
  // OrderConfirmed: the order as it was confirmed.
  std::optional<domain::Order> order;
};

using SagaCommand = std::variant<domain::OrderCommand, domain::InventoryCommand,
                                 domain::PaymentCommand, domain::ShipmentCommand>;

// A command and the step it is: the step names the command's request id, so that sending
// it again (after a crash) is answered from the first time.
struct SagaStep {
  std::string step;
  SagaCommand command;
  // A refusal that only says the work is done another way (e.g. the order was cancelled
  // by its customer meanwhile) is not a failure of the step.
  bool refusal_is_done = false;
};

// Work done outside any database transaction (the gateway, the carrier), at a time.
enum class TimerKind {
  kAuthorizePayment,
  kPaymentDeadline,
  kDispatchShipment,
  kCapturePayment,
  kVoidPayment,
};

// "authorize_payment", "payment_deadline", ...: the `kind` column of saga_timers.
const char* TimerKindName(TimerKind kind);
std::optional<TimerKind> TimerKindFromName(const std::string& name);

struct TimerSet {
  TimerKind kind;
  absl::Duration delay;  // from now
};

struct Decision {
  std::vector<ordo::v1::FulfilmentEvent> events;  // to append to the saga's stream
  std::vector<SagaStep> commands;                 // to send before the events are recorded
  std::vector<TimerSet> set_timers;
  std::vector<TimerKind> cancel_timers;
  absl::Status anomaly;  // not OK: park the input, record nothing

  bool empty() const {
    return events.empty() && commands.empty() && set_timers.empty() && cancel_timers.empty() &&
           anomaly.ok();
  }
};

Decision Decide(const Fulfilment& fulfilment, const SagaInput& input,
                const FulfilmentPolicy& policy);

}  // namespace ordo::process

#endif  // ORDO_COMMAND_PROCESS_FULFILMENT_DECIDER_H_
