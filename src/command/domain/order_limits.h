// Input limits of the Order aggregate, shared by validation and decisions.
#ifndef ORDO_COMMAND_DOMAIN_ORDER_LIMITS_H_
#define ORDO_COMMAND_DOMAIN_ORDER_LIMITS_H_

#include <cstdint>

namespace ordo::domain {

inline constexpr int kMaxCustomerIdChars = 128;
inline constexpr int kMaxEmailChars = 254;
inline constexpr int kMaxAddressLineChars = 200;
inline constexpr int kMaxCityChars = 100;
inline constexpr int kMaxPostalCodeChars = 20;
inline constexpr int kMaxOrderIdChars = 64;
inline constexpr int kMaxSkuChars = 64;
inline constexpr int kMaxTrackingNumberChars = 64;
inline constexpr int kMaxReasonChars = 500;
inline constexpr int32_t kMinQuantity = 1;
inline constexpr int32_t kMaxQuantity = 10000;
inline constexpr int64_t kMaxUnitPriceCents = 1000000000;
inline constexpr int kMaxLinesPerOrder = 100;
inline constexpr int64_t kMaxUnitsPerOrder = 1000000;

}  // namespace ordo::domain

#endif  // ORDO_COMMAND_DOMAIN_ORDER_LIMITS_H_
