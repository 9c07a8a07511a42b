// Input validation of Order commands: the per-field limits, each violation an
// INVALID_ARGUMENT whose message starts with the field's name.
#include "command/domain/order_validation.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "command/domain/order_limits.h"
#include "command/domain/text_rules.h"
#include "common/status_macros.h"

namespace ordo::domain {
namespace {

absl::Status Invalid(const char* field, const std::string& why) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", why));
}

// Valid UTF-8 without NUL, and between min_chars and max_chars characters.
absl::Status CheckText(const char* field, const std::string& value, size_t min_chars,
                       size_t max_chars) {
  std::optional<size_t> chars = CountCharacters(value);
  if (!chars) return Invalid(field, "must be valid UTF-8 without NUL characters");
  if (*chars < min_chars || *chars > max_chars) {
    return Invalid(
        field, absl::StrCat("must be ", min_chars, " to ", max_chars, " characters, got ", *chars));
  }
  return absl::OkStatus();
}

absl::Status CheckIdentifier(const char* field, const std::string& value, size_t max_chars) {
  if (value.empty() || value.size() > max_chars) {
    return Invalid(field,
                   absl::StrCat("must be 1 to ", max_chars, " characters, got ", value.size()));
  }
  if (!IsIdentifierText(value)) {
    return Invalid(field, "may contain only letters, digits, '.', '_' and '-'");
  }
  return absl::OkStatus();
}

absl::Status CheckOrderId(const std::string& order_id) {
  return CheckIdentifier("order_id", order_id, kMaxOrderIdChars);
}

absl::Status Check(const CreateOrder& c) {
  if (!c.order_id.empty()) ORDO_RETURN_IF_ERROR(CheckOrderId(c.order_id));
  ORDO_RETURN_IF_ERROR(CheckText("customer_id", c.customer_id, 1, kMaxCustomerIdChars));
  if (!IsCurrencyCode(c.currency)) {
    return Invalid("currency", "must be 3 upper-case letters (ISO 4217), e.g. EUR");
  }
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
