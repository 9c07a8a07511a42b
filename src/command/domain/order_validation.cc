// Input validation of Order commands: the per-field limits, each violation an
// INVALID_ARGUMENT whose message starts with the field's name.
#include "command/domain/order_validation.h"

#include <cctype>
#include <string>

#include "absl/strings/str_cat.h"
#include "command/domain/field_checks.h"
#include "command/domain/order_limits.h"
#include "command/domain/text_rules.h"
#include "common/status_macros.h"

namespace ordo::domain {
namespace {

absl::Status CheckOrderId(const std::string& order_id) {
  return CheckIdentifier("order_id", order_id, kMaxOrderIdChars);
}

absl::Status CheckPrintable(const char* field, const std::string& value, size_t min_chars,
                            size_t max_chars) {
  ORDO_RETURN_IF_ERROR(CheckText(field, value, min_chars, max_chars));
  if (!IsPrintableText(value)) return Invalid(field, "must not contain control characters");
  return absl::OkStatus();
}

absl::Status CheckAddress(const ordo::v1::Address& a) {
  ORDO_RETURN_IF_ERROR(CheckPrintable("shipping_address.name", a.name(), 0, kMaxAddressLineChars));
  ORDO_RETURN_IF_ERROR(
      CheckPrintable("shipping_address.line1", a.line1(), 1, kMaxAddressLineChars));
  ORDO_RETURN_IF_ERROR(
      CheckPrintable("shipping_address.line2", a.line2(), 0, kMaxAddressLineChars));
  ORDO_RETURN_IF_ERROR(CheckPrintable("shipping_address.city", a.city(), 1, kMaxCityChars));
  ORDO_RETURN_IF_ERROR(
      CheckPrintable("shipping_address.postal_code", a.postal_code(), 0, kMaxPostalCodeChars));
  const std::string& country = a.country();
  if (country.size() != 2 || !std::isupper(static_cast<unsigned char>(country[0])) ||
      !std::isupper(static_cast<unsigned char>(country[1]))) {
    return Invalid("shipping_address.country",
                   "must be 2 upper-case letters (ISO 3166-1), e.g. DE");
  }
  return absl::OkStatus();
}

absl::Status Check(const CreateOrder& c) {
  if (!c.order_id.empty()) ORDO_RETURN_IF_ERROR(CheckOrderId(c.order_id));
  ORDO_RETURN_IF_ERROR(CheckText("customer_id", c.customer_id, 1, kMaxCustomerIdChars));
  if (!IsCurrencyCode(c.currency)) {
    return Invalid("currency", "must be 3 upper-case letters (ISO 4217), e.g. EUR");
  }
  if (!c.customer_email.empty()) {
    ORDO_RETURN_IF_ERROR(CheckText("customer_email", c.customer_email, 3, kMaxEmailChars));
    const size_t at = c.customer_email.find('@');
    if (at == std::string::npos || at == 0 || at + 1 == c.customer_email.size() ||
        !IsPrintableText(c.customer_email) || c.customer_email.find(' ') != std::string::npos) {
      return Invalid("customer_email", "must look like name@example.com");
    }
  }
  if (c.shipping_address) return CheckAddress(*c.shipping_address);
  return absl::OkStatus();
}

absl::Status Check(const AddItem& c) {
  ORDO_RETURN_IF_ERROR(CheckOrderId(c.order_id));
  ORDO_RETURN_IF_ERROR(CheckIdentifier("sku", c.sku, kMaxSkuChars));
  if (c.quantity < kMinQuantity || c.quantity > kMaxQuantity) {
    return Invalid("quantity", absl::StrCat("must be ", kMinQuantity, " to ", kMaxQuantity,
                                            ", got ", c.quantity));
  }
  if (c.unit_price_cents < 0 || c.unit_price_cents > kMaxUnitPriceCents) {
    return Invalid("unit_price_cents",
                   absl::StrCat("must be 0 to ", kMaxUnitPriceCents, ", got ", c.unit_price_cents));
  }
  return absl::OkStatus();
}

absl::Status Check(const RemoveItem& c) {
  ORDO_RETURN_IF_ERROR(CheckOrderId(c.order_id));
  return CheckIdentifier("sku", c.sku, kMaxSkuChars);
}

absl::Status Check(const ConfirmOrder& c) { return CheckOrderId(c.order_id); }

absl::Status Check(const ShipOrder& c) {
  ORDO_RETURN_IF_ERROR(CheckOrderId(c.order_id));
  ORDO_RETURN_IF_ERROR(CheckText("tracking_number", c.tracking_number, 1, kMaxTrackingNumberChars));
  if (!IsPrintableText(c.tracking_number)) {
    return Invalid("tracking_number", "must not contain control characters");
  }
  return absl::OkStatus();
}

absl::Status Check(const CancelOrder& c) {
  ORDO_RETURN_IF_ERROR(CheckOrderId(c.order_id));
  return CheckText("reason", c.reason, 0, kMaxReasonChars);
}

}  // namespace

absl::Status ValidateCommand(const OrderCommand& command) {
  return std::visit([](const auto& c) { return Check(c); }, command);
}

}  // namespace ordo::domain
