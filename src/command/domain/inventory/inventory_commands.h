// The commands the Inventory aggregate accepts, as plain values; each names itself.
#ifndef ORDO_COMMAND_DOMAIN_INVENTORY_INVENTORY_COMMANDS_H_
#define ORDO_COMMAND_DOMAIN_INVENTORY_INVENTORY_COMMANDS_H_

#include <cstdint>
#include <string>
#include <variant>

namespace ordo::domain {

struct ReceiveStock {
  static constexpr char kName[] = "ReceiveStock";
  std::string sku;
  int64_t quantity = 0;
};

struct AdjustStock {
  static constexpr char kName[] = "AdjustStock";
  std::string sku;
  int64_t delta = 0;
  std::string reason;
};

struct ReserveStock {
  static constexpr char kName[] = "ReserveStock";
  std::string sku;
  std::string order_id;
  int64_t quantity = 0;
};

struct ReleaseStock {
  static constexpr char kName[] = "ReleaseStock";
  std::string sku;
  std::string order_id;
};

struct CommitStock {
  static constexpr char kName[] = "CommitStock";
  std::string sku;
  std::string order_id;
};

using InventoryCommand =
    std::variant<ReceiveStock, AdjustStock, ReserveStock, ReleaseStock, CommitStock>;

// The SKU every command targets.
inline const std::string& TargetSku(const InventoryCommand& command) {
  return std::visit([](const auto& c) -> const std::string& { return c.sku; }, command);
}

}  // namespace ordo::domain

#endif  // ORDO_COMMAND_DOMAIN_INVENTORY_INVENTORY_COMMANDS_H_
