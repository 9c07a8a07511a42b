// The commands a Shipment accepts, as plain values: sent by ordo-saga and its sandbox
// carrier.
#ifndef ORDO_COMMAND_DOMAIN_SHIPMENT_SHIPMENT_COMMANDS_H_
#define ORDO_COMMAND_DOMAIN_SHIPMENT_SHIPMENT_COMMANDS_H_

#include <string>
#include <variant>

namespace ordo::domain {

struct RequestShipment {
  static constexpr char kName[] = "RequestShipment";
  std::string order_id;
};

struct DispatchShipment {
  static constexpr char kName[] = "DispatchShipment";
  std::string order_id;
  std::string tracking_number;
  std::string carrier;
};

struct CancelShipment {
  static constexpr char kName[] = "CancelShipment";
  std::string order_id;
  std::string reason;
};

struct DeliverShipment {
  static constexpr char kName[] = "DeliverShipment";
  std::string order_id;
};

using ShipmentCommand =
    std::variant<RequestShipment, DispatchShipment, CancelShipment, DeliverShipment>;

inline const std::string& TargetOrderId(const ShipmentCommand& command) {
  return std::visit([](const auto& c) -> const std::string& { return c.order_id; }, command);
}

}  // namespace ordo::domain

#endif  // ORDO_COMMAND_DOMAIN_SHIPMENT_SHIPMENT_COMMANDS_H_
