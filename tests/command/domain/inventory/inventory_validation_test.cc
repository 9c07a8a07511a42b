// Tests of the Inventory commands' input bounds (DESIGN §9): each from both sides, and
// the field named in every INVALID_ARGUMENT.
#include "command/domain/inventory/inventory_validation.h"

#include <gtest/gtest.h>

#include <string>

#include "command/domain/inventory/inventory_limits.h"

namespace ordo::domain {
namespace {

void ExpectInvalid(const InventoryCommand& command, const std::string& field) {
  absl::Status status = ValidateCommand(command);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_EQ(status.message().substr(0, field.size() + 1), field + ":") << status;
}

TEST(InventoryValidation, SkuIs1To64IdentifierCharacters) {
  EXPECT_TRUE(ValidateCommand(ReceiveStock{std::string(64, 's'), 1}).ok());
  ExpectInvalid(ReceiveStock{std::string(65, 's'), 1}, "sku");
  ExpectInvalid(ReceiveStock{"", 1}, "sku");
  ExpectInvalid(ReceiveStock{"tea:green", 1}, "sku");
  ExpectInvalid(ReserveStock{"bad sku", "o-1", 1}, "sku");
  ExpectInvalid(ReleaseStock{"", "o-1"}, "sku");
  ExpectInvalid(CommitStock{"", "o-1"}, "sku");
  ExpectInvalid(AdjustStock{"", 1, ""}, "sku");
}

TEST(InventoryValidation, OrderIdIs1To64IdentifierCharacters) {
  EXPECT_TRUE(ValidateCommand(ReserveStock{"tea", std::string(64, 'o'), 1}).ok());
  ExpectInvalid(ReserveStock{"tea", std::string(65, 'o'), 1}, "order_id");
  ExpectInvalid(ReserveStock{"tea", "", 1}, "order_id");
  ExpectInvalid(ReleaseStock{"tea", "o/1"}, "order_id");
  ExpectInvalid(CommitStock{"tea", ""}, "order_id");
}

TEST(InventoryValidation, ReceiveQuantityIs1ToABillion) {
  EXPECT_TRUE(ValidateCommand(ReceiveStock{"tea", 1}).ok());
  EXPECT_TRUE(ValidateCommand(ReceiveStock{"tea", kMaxReceiveQuantity}).ok());
  ExpectInvalid(ReceiveStock{"tea", 0}, "quantity");
  ExpectInvalid(ReceiveStock{"tea", -1}, "quantity");
  ExpectInvalid(ReceiveStock{"tea", kMaxReceiveQuantity + 1}, "quantity");
}

TEST(InventoryValidation, ReserveQuantityIs1ToAMillion) {
  EXPECT_TRUE(ValidateCommand(ReserveStock{"tea", "o-1", 1}).ok());
  EXPECT_TRUE(ValidateCommand(ReserveStock{"tea", "o-1", kMaxReserveQuantity}).ok());
  ExpectInvalid(ReserveStock{"tea", "o-1", 0}, "quantity");
  ExpectInvalid(ReserveStock{"tea", "o-1", kMaxReserveQuantity + 1}, "quantity");
}

TEST(InventoryValidation, AdjustDeltaIsNonZeroAndAtMostABillionEitherWay) {
  EXPECT_TRUE(ValidateCommand(AdjustStock{"tea", kMaxAdjustDelta, ""}).ok());
  EXPECT_TRUE(ValidateCommand(AdjustStock{"tea", -kMaxAdjustDelta, ""}).ok());
  ExpectInvalid(AdjustStock{"tea", 0, ""}, "delta");
  ExpectInvalid(AdjustStock{"tea", kMaxAdjustDelta + 1, ""}, "delta");
  ExpectInvalid(AdjustStock{"tea", -kMaxAdjustDelta - 1, ""}, "delta");
}

TEST(InventoryValidation, AdjustReasonIsAtMost500Characters) {
  EXPECT_TRUE(ValidateCommand(AdjustStock{"tea", 1, std::string(500, 'r')}).ok());
  // Characters, not bytes: 500 two-byte characters fit.
  std::string accents;
  for (int i = 0; i < 500; ++i) accents += "\xC3\xA9";
  EXPECT_TRUE(ValidateCommand(AdjustStock{"tea", 1, accents}).ok());
  ExpectInvalid(AdjustStock{"tea", 1, std::string(501, 'r')}, "reason");
  ExpectInvalid(AdjustStock{"tea", 1, std::string("bad\xFF")}, "reason");
}

}  // namespace
}  // namespace ordo::domain
