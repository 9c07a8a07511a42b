// Input limits of the Inventory aggregate (DESIGN §9), shared by validation and decisions.
#ifndef ORDO_COMMAND_DOMAIN_INVENTORY_INVENTORY_LIMITS_H_
#define ORDO_COMMAND_DOMAIN_INVENTORY_INVENTORY_LIMITS_H_

#include <cstdint>

namespace ordo::domain {

inline constexpr int kMaxInventorySkuChars = 64;
inline constexpr int kMaxInventoryOrderIdChars = 64;
inline constexpr int64_t kMaxReceiveQuantity = 1000000000;
inline constexpr int64_t kMaxAdjustDelta = 1000000000;
inline constexpr int kMaxAdjustReasonChars = 500;
inline constexpr int64_t kMaxReserveQuantity = 1000000;
// No SKU holds more: keeps every sum far from overflow.
inline constexpr int64_t kMaxOnHand = 1000000000000000;

}  // namespace ordo::domain

#endif  // ORDO_COMMAND_DOMAIN_INVENTORY_INVENTORY_LIMITS_H_
