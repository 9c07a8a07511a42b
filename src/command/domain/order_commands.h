// The commands an Order accepts, as plain values (no transport fields such as request ids).
// Each names itself (kName), as the metadata of its events records it.
#ifndef ORDO_COMMAND_DOMAIN_ORDER_COMMANDS_H_
#define ORDO_COMMAND_DOMAIN_ORDER_COMMANDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "ordo/v1/order_events.pb.h"

namespace ordo::domain {

struct CreateOrder {
  static constexpr char kName[] = "CreateOrder";
  std::string order_id;
  std::string customer_id;
  std::string currency;
  std::string customer_email = {};  // empty: not given
  std::optional<ordo::v1::Address> shipping_address = {};
};

struct AddItem {
  static constexpr char kName[] = "AddItem";
  std::string order_id;
  std::string sku;
  int64_t quantity = 0;
  int64_t unit_price_cents = 0;
};

struct RemoveItem {
  static constexpr char kName[] = "RemoveItem";
  std::string order_id;
  std::string sku;
};

struct ConfirmOrder {
  static constexpr char kName[] = "ConfirmOrder";
  std::string order_id;
};

struct ShipOrder {
  static constexpr char kName[] = "ShipOrder";
  std::string order_id;
  std::string tracking_number;
};

struct CancelOrder {
  static constexpr char kName[] = "CancelOrder";
  std::string order_id;
  std::string reason;
};

using OrderCommand =
    std::variant<CreateOrder, AddItem, RemoveItem, ConfirmOrder, ShipOrder, CancelOrder>;

// The order every command targets.
inline const std::string& TargetOrderId(const OrderCommand& command) {
  return std::visit([](const auto& c) -> const std::string& { return c.order_id; }, command);
}

}  // namespace ordo::domain

#endif  // ORDO_COMMAND_DOMAIN_ORDER_COMMANDS_H_
