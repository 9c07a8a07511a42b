// Checks on user-supplied text: valid UTF-8, no NUL, lengths in characters (code points).
#include "command/domain/text_rules.h"

#include <cstdint>

namespace ordo::domain {
namespace {

// Decodes the code point starting at text[*i] and advances *i; false on invalid UTF-8.
bool DecodeNext(std::string_view text, size_t* i, uint32_t* code_point) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(text[k]); };
  const uint8_t lead = byte(*i);
  size_t length;
  uint32_t value;
  uint32_t minimum;
  if (lead < 0x80) {
    *code_point = lead;
    *i += 1;
    return true;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, value = lead & 0x1F, minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, value = lead & 0x0F, minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, value = lead & 0x07, minimum = 0x10000;
  } else {
    return false;
  }
  if (*i + length > text.size()) return false;
  for (size_t k = 1; k < length; ++k) {
    const uint8_t continuation = byte(*i + k);
    if ((continuation & 0xC0) != 0x80) return false;
    value = (value << 6) | (continuation & 0x3F);
  }
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return false;
  *code_point = value;
  *i += length;
  return true;
}

}  // namespace

std::optional<size_t> CountCharacters(std::string_view text) {
  size_t count = 0;
  for (size_t i = 0; i < text.size(); ++count) {
    uint32_t code_point;
    if (!DecodeNext(text, &i, &code_point) || code_point == 0) return std::nullopt;
  }
  return count;
}

bool IsIdentifierText(std::string_view text) {
  for (char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool IsPrintableText(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    uint32_t code_point;
    if (!DecodeNext(text, &i, &code_point)) return false;
    if (code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F)) return false;
  }
  return true;
}

bool IsCurrencyCode(std::string_view text) {
  if (text.size() != 3) return false;
  for (char c : text) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

}  // namespace ordo::domain
