// Tests of the flat-JSON payload reader the projections use.
#include "query/projectors/payload_fields.h"

#include <gtest/gtest.h>

namespace ordo::query {
namespace {

TEST(PayloadFields, ReadsStringsAndNumbersAsPostgresPrintsThem) {
  absl::StatusOr<PayloadFields> fields = PayloadFields::Parse(
      R"({"sku": "tea-1", "quantity": 3, "order_id": "o-1", "unit_price_cents": "1250"})");
  ASSERT_TRUE(fields.ok()) << fields.status();
  EXPECT_EQ(fields->Text("sku"), "tea-1");
  EXPECT_EQ(fields->Text("order_id"), "o-1");
  EXPECT_EQ(*fields->Integer("quantity"), 3);
  EXPECT_EQ(*fields->Integer("unit_price_cents"), 1250);  // a 64-bit integer as a string
  EXPECT_EQ(fields->Text("missing"), "");
  EXPECT_EQ(*fields->Integer("missing"), 0);
}

TEST(PayloadFields, UnescapesStrings) {
  absl::StatusOr<PayloadFields> fields = PayloadFields::Parse(
      R"({"reason": "said \"no\" \\ twice\n", "tab": "a\tb", "ctl": "\u0001", "e": "\u00e9",)"
      R"( "emoji": "\ud83d\udce6", "raw": "été"})");
  ASSERT_TRUE(fields.ok()) << fields.status();
  EXPECT_EQ(fields->Text("reason"), "said \"no\" \\ twice\n");
  EXPECT_EQ(fields->Text("tab"), "a\tb");
  EXPECT_EQ(fields->Text("ctl"), "\x01");
  EXPECT_EQ(fields->Text("e"), "\xC3\xA9");
  EXPECT_EQ(fields->Text("emoji"), "\xF0\x9F\x93\xA6");
  EXPECT_EQ(fields->Text("raw"), "\xC3\xA9t\xC3\xA9");
}

TEST(PayloadFields, AcceptsNullBooleansAndEmptyObjects) {
  absl::StatusOr<PayloadFields> fields = PayloadFields::Parse(R"({"a": null, "b": true})");
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(fields->Text("a"), "");
  EXPECT_EQ(fields->Text("b"), "true");
  EXPECT_TRUE(PayloadFields::Parse("{}").ok());
  EXPECT_TRUE(PayloadFields::Parse(" { } ").ok());
}

TEST(PayloadFields, RefusesWhatIsNotAFlatObject) {
  for (const char* bad : {"", "[]", "{", R"({"a": {"b": 1}})", R"({"a": [1]})", R"({"a" 1})",
                          R"({"a": "unterminated})", R"({"a": 1} trailing)", R"({"a": "\x"})",
                          R"({"a": "\ud83d"})"}) {
    EXPECT_EQ(PayloadFields::Parse(bad).status().code(), absl::StatusCode::kDataLoss) << bad;
  }
}

TEST(PayloadFields, IntegerRefusesNonNumbers) {
  absl::StatusOr<PayloadFields> fields = PayloadFields::Parse(R"({"q": "many"})");
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(fields->Integer("q").status().code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace ordo::query
