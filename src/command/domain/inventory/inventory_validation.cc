// Input validation of Inventory commands.
#include "command/domain/inventory/inventory_validation.h"

#include "absl/strings/str_cat.h"
#include "command/domain/field_checks.h"
#include "command/domain/inventory/inventory_limits.h"
#include "common/status_macros.h"

namespace ordo::domain {
namespace {

absl::Status CheckSku(const std::string& sku) {
  return CheckIdentifier("sku", sku, kMaxInventorySkuChars);
}

absl::Status CheckOrderId(const std::string& order_id) {
  return CheckIdentifier("order_id", order_id, kMaxInventoryOrderIdChars);
}

absl::Status CheckRange(const char* field, int64_t value, int64_t min, int64_t max) {
  if (value >= min && value <= max) return absl::OkStatus();
  return Invalid(field, absl::StrCat("must be ", min, " to ", max, ", got ", value));
}

absl::Status Check(const ReceiveStock& c) {
  ORDO_RETURN_IF_ERROR(CheckSku(c.sku));
  return CheckRange("quantity", c.quantity, 1, kMaxReceiveQuantity);
}

absl::Status Check(const AdjustStock& c) {
  ORDO_RETURN_IF_ERROR(CheckSku(c.sku));
  if (c.delta == 0) return Invalid("delta", "must not be 0");
  ORDO_RETURN_IF_ERROR(CheckRange("delta", c.delta, -kMaxAdjustDelta, kMaxAdjustDelta));
  return CheckText("reason", c.reason, 0, kMaxAdjustReasonChars);
}

absl::Status Check(const ReserveStock& c) {
  ORDO_RETURN_IF_ERROR(CheckSku(c.sku));
  ORDO_RETURN_IF_ERROR(CheckOrderId(c.order_id));
  return CheckRange("quantity", c.quantity, 1, kMaxReserveQuantity);
}

absl::Status Check(const ReleaseStock& c) {
  ORDO_RETURN_IF_ERROR(CheckSku(c.sku));
  return CheckOrderId(c.order_id);
}

absl::Status Check(const CommitStock& c) {
  ORDO_RETURN_IF_ERROR(CheckSku(c.sku));
  return CheckOrderId(c.order_id);
}

}  // namespace

absl::Status ValidateCommand(const InventoryCommand& command) {
  return std::visit([](const auto& c) { return Check(c); }, command);
}

}  // namespace ordo::domain
