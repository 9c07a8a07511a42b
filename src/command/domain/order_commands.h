// The commands an Order accepts, as plain values (no transport fields such as request ids).
#ifndef ORDO_COMMAND_DOMAIN_ORDER_COMMANDS_H_
#define ORDO_COMMAND_DOMAIN_ORDER_COMMANDS_H_

#include <cstdint>
#include <string>
#include <variant>

namespace ordo::domain {

struct CreateOrder {
  std::string order_id;
  std::string customer_id;
  std::string currency;
};

struct AddItem {
  std::string order_id;
  std::string sku;
  int64_t quantity = 0;
  int64_t unit_price_cents = 0;
};

struct RemoveItem {
  std::string order_id;
  std::string sku;
};

struct ConfirmOrder {
  std::string order_id;
};

struct ShipOrder {
  std::string order_id;
  std::string tracking_number;
};

struct CancelOrder {
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
