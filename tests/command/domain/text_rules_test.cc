// Tests of the text checks behind every string field: UTF-8, NUL, character counts.
#include "command/domain/text_rules.h"

#include <gtest/gtest.h>

#include <string>

namespace ordo::domain {
namespace {

TEST(TextRules, CountsCodePointsNotBytes) {
  EXPECT_EQ(CountCharacters("abc"), 3u);
  EXPECT_EQ(CountCharacters("\xC3\xA9t\xC3\xA9"), 3u);  // "été"
  EXPECT_EQ(CountCharacters("\xF0\x9F\x93\xA6"), 1u);   // U+1F4E6
  EXPECT_EQ(CountCharacters(""), 0u);
}

TEST(TextRules, RejectsInvalidUtf8) {
  EXPECT_FALSE(CountCharacters("\xC3"));              // truncated
  EXPECT_FALSE(CountCharacters("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(CountCharacters("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(CountCharacters("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(CountCharacters("\xFF"));
}

TEST(TextRules, RejectsNul) { EXPECT_FALSE(CountCharacters(std::string("a\0b", 3))); }

TEST(TextRules, IdentifierAllowsOnlyLettersDigitsDotUnderscoreDash) {
  EXPECT_TRUE(IsIdentifierText("Order_1.a-B"));
  EXPECT_FALSE(IsIdentifierText("order 1"));
  EXPECT_FALSE(IsIdentifierText("order/1"));
  EXPECT_FALSE(IsIdentifierText("\xC3\xA9"));
}

TEST(TextRules, PrintableRejectsControlCharacters) {
  EXPECT_TRUE(IsPrintableText("1Z 999 AA1 \xC3\xA9"));
  EXPECT_FALSE(IsPrintableText("1Z\t999"));
  EXPECT_FALSE(IsPrintableText("1Z\x7F"));
  EXPECT_FALSE(IsPrintableText("1Z\xC2\x85"));  // U+0085, a C1 control
}

TEST(TextRules, CurrencyIsThreeUpperCaseLetters) {
  EXPECT_TRUE(IsCurrencyCode("EUR"));
  EXPECT_FALSE(IsCurrencyCode("eur"));
  EXPECT_FALSE(IsCurrencyCode("EU"));
  EXPECT_FALSE(IsCurrencyCode("EURO"));
  EXPECT_FALSE(IsCurrencyCode("E1R"));
}

}  // namespace
}  // namespace ordo::domain
