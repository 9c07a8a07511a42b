// The Shipment aggregate's rules.
#include "command/domain/shipment/shipment_decider.h"

#include "absl/strings/str_cat.h"
#include "command/domain/field_checks.h"
#include "command/domain/order_limits.h"

namespace ordo::domain {
namespace {

using ordo::v1::ShipmentEvent;
using Events = std::vector<ShipmentEvent>;

absl::Status Refused(const std::string& order_id, const char* what) {
  return absl::FailedPreconditionError(
      absl::StrCat("shipment of order ", order_id, " cannot be ", what, " in its state"));
}

struct Validator {
  absl::Status operator()(const DispatchShipment& c) const {
    if (absl::Status s =
            CheckText("tracking_number", c.tracking_number, 1, kMaxTrackingNumberChars);
        !s.ok()) {
      return s;
    }
    return CheckText("carrier", c.carrier, 1, 64);
  }
  absl::Status operator()(const CancelShipment& c) const {
    return CheckText("reason", c.reason, 0, kMaxReasonChars);
  }
  absl::Status operator()(const RequestShipment&) const { return absl::OkStatus(); }
  absl::Status operator()(const DeliverShipment&) const { return absl::OkStatus(); }
};

struct Decider {
  const Shipment& shipment;

  absl::StatusOr<Events> operator()(const RequestShipment& c) const {
    if (shipment.state != ShipmentState::kNone) return Events{};
    ShipmentEvent event;
    event.mutable_shipment_requested()->set_order_id(c.order_id);
    return Events{event};
  }
  absl::StatusOr<Events> operator()(const DispatchShipment& c) const {
    if (shipment.state == ShipmentState::kDispatched) return Events{};
    if (shipment.state != ShipmentState::kRequested) return Refused(c.order_id, "dispatched");
    ShipmentEvent event;
    auto* e = event.mutable_shipment_dispatched();
    e->set_order_id(c.order_id);
    e->set_tracking_number(c.tracking_number);
    e->set_carrier(c.carrier);
    return Events{event};
  }
  absl::StatusOr<Events> operator()(const CancelShipment& c) const {
    if (shipment.state == ShipmentState::kNone || shipment.state == ShipmentState::kCancelled) {
      return Events{};
    }
    if (shipment.state == ShipmentState::kDelivered) return Refused(c.order_id, "cancelled");
    ShipmentEvent event;
    auto* e = event.mutable_shipment_cancelled();
    e->set_order_id(c.order_id);
    e->set_reason(c.reason);
    return Events{event};
  }
  absl::StatusOr<Events> operator()(const DeliverShipment& c) const {
    if (shipment.state == ShipmentState::kDelivered) return Events{};
    if (shipment.state != ShipmentState::kDispatched) return Refused(c.order_id, "delivered");
    ShipmentEvent event;
    event.mutable_shipment_delivered()->set_order_id(c.order_id);
    return Events{event};
  }
};

}  // namespace

absl::Status ValidateCommand(const ShipmentCommand& command) {
  if (absl::Status id = CheckIdentifier("order_id", TargetOrderId(command), kMaxOrderIdChars);
      !id.ok()) {
    return id;
  }
  return std::visit(Validator{}, command);
}

absl::StatusOr<std::vector<ShipmentEvent>> Decide(const Shipment& shipment,
                                                  const ShipmentCommand& command) {
  return std::visit(Decider{shipment}, command);
}

}  // namespace ordo::domain
