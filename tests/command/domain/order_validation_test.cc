// Tests of the per-field input limits: each bound from both sides, and the field named in
// every INVALID_ARGUMENT.
#include "command/domain/order_validation.h"

#include <gtest/gtest.h>

#include <string>

namespace ordo::domain {
namespace {

// Expects INVALID_ARGUMENT whose message starts with "<field>:".
void ExpectInvalid(const OrderCommand& command, const std::string& field) {
  absl::Status status = ValidateCommand(command);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_EQ(status.message().substr(0, field.size() + 1), field + ":") << status;
}

CreateOrder ValidCreate() { return CreateOrder{"order-1", "customer-1", "EUR"}; }
AddItem ValidAdd() { return AddItem{"order-1", "sku-1", 1, 100}; }

TEST(OrderValidation, AcceptsValidCommands) {
  EXPECT_TRUE(ValidateCommand(ValidCreate()).ok());
  EXPECT_TRUE(ValidateCommand(ValidAdd()).ok());
  EXPECT_TRUE(ValidateCommand(RemoveItem{"order-1", "sku-1"}).ok());
  EXPECT_TRUE(ValidateCommand(ConfirmOrder{"order-1"}).ok());
  EXPECT_TRUE(ValidateCommand(ShipOrder{"order-1", "1Z999"}).ok());
  EXPECT_TRUE(ValidateCommand(CancelOrder{"order-1", ""}).ok());
}

TEST(OrderValidation, CreateOrderIdMayBeEmptyOrUpTo64IdentifierChars) {
  CreateOrder c = ValidCreate();
  c.order_id = "";
  EXPECT_TRUE(ValidateCommand(c).ok());
  c.order_id = std::string(64, 'a');
  EXPECT_TRUE(ValidateCommand(c).ok());
  c.order_id = std::string(65, 'a');
  ExpectInvalid(c, "order_id");
  c.order_id = "bad id";
  ExpectInvalid(c, "order_id");
}

TEST(OrderValidation, OtherCommandsNeedAnOrderId) {
  ExpectInvalid(ConfirmOrder{""}, "order_id");
  ExpectInvalid(ConfirmOrder{std::string(65, 'a')}, "order_id");
  EXPECT_TRUE(ValidateCommand(ConfirmOrder{"a"}).ok());
  ExpectInvalid(AddItem{"", "sku", 1, 1}, "order_id");
  ExpectInvalid(RemoveItem{"o/1", "sku"}, "order_id");
  ExpectInvalid(ShipOrder{"", "T"}, "order_id");
  ExpectInvalid(CancelOrder{"", ""}, "order_id");
}

TEST(OrderValidation, CustomerIdIs1To128Characters) {
  CreateOrder c = ValidCreate();
  c.customer_id = "";
  ExpectInvalid(c, "customer_id");
  c.customer_id = "a";
  EXPECT_TRUE(ValidateCommand(c).ok());
  c.customer_id = std::string(128, 'a');
  EXPECT_TRUE(ValidateCommand(c).ok());
  c.customer_id = std::string(129, 'a');
  ExpectInvalid(c, "customer_id");
  // 128 two-byte characters are 256 bytes but 128 characters.
  std::string accented;
  for (int i = 0; i < 128; ++i) accented += "\xC3\xA9";
  c.customer_id = accented;
  EXPECT_TRUE(ValidateCommand(c).ok());
}

TEST(OrderValidation, CustomerIdMustBeUtf8WithoutNul) {
  CreateOrder c = ValidCreate();
  c.customer_id = "bad\xFF";
  ExpectInvalid(c, "customer_id");
  c.customer_id = std::string("a\0b", 3);
  ExpectInvalid(c, "customer_id");
}

TEST(OrderValidation, CurrencyIsThreeUpperCaseLetters) {
  CreateOrder c = ValidCreate();
  for (const char* bad : {"", "EU", "EURO", "eur", "E1R"}) {
    c.currency = bad;
    ExpectInvalid(c, "currency");
  }
}

TEST(OrderValidation, SkuIs1To64IdentifierChars) {
  AddItem a = ValidAdd();
  a.sku = "";
  ExpectInvalid(a, "sku");
  a.sku = std::string(64, 'S');
  EXPECT_TRUE(ValidateCommand(a).ok());
  a.sku = std::string(65, 'S');
  ExpectInvalid(a, "sku");
  a.sku = "sku 1";
  ExpectInvalid(a, "sku");
  ExpectInvalid(RemoveItem{"order-1", ""}, "sku");
}

TEST(OrderValidation, QuantityIs1To10000) {
  AddItem a = ValidAdd();
  a.quantity = 0;
  ExpectInvalid(a, "quantity");
  a.quantity = -1;
  ExpectInvalid(a, "quantity");
  a.quantity = 1;
  EXPECT_TRUE(ValidateCommand(a).ok());
  a.quantity = 10000;
  EXPECT_TRUE(ValidateCommand(a).ok());
  a.quantity = 10001;
  ExpectInvalid(a, "quantity");
}

TEST(OrderValidation, UnitPriceIs0ToOneBillionCents) {
  AddItem a = ValidAdd();
  a.unit_price_cents = -1;
  ExpectInvalid(a, "unit_price_cents");
  a.unit_price_cents = 0;
  EXPECT_TRUE(ValidateCommand(a).ok());
  a.unit_price_cents = 1000000000;
  EXPECT_TRUE(ValidateCommand(a).ok());
  a.unit_price_cents = 1000000001;
  ExpectInvalid(a, "unit_price_cents");
}

TEST(OrderValidation, TrackingNumberIs1To64PrintableChars) {
  ExpectInvalid(ShipOrder{"order-1", ""}, "tracking_number");
  EXPECT_TRUE(ValidateCommand(ShipOrder{"order-1", std::string(64, 'T')}).ok());
  ExpectInvalid(ShipOrder{"order-1", std::string(65, 'T')}, "tracking_number");
  ExpectInvalid(ShipOrder{"order-1", "1Z\n999"}, "tracking_number");
  ExpectInvalid(ShipOrder{"order-1", std::string("1Z\0", 3)}, "tracking_number");
}

TEST(OrderValidation, ReasonIsAtMost500Chars) {
  EXPECT_TRUE(ValidateCommand(CancelOrder{"order-1", std::string(500, 'r')}).ok());
  ExpectInvalid(CancelOrder{"order-1", std::string(501, 'r')}, "reason");
  ExpectInvalid(CancelOrder{"order-1", "bad\xC3"}, "reason");
}

}  // namespace
}  // namespace ordo::domain
