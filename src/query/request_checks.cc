// Checks on what a query-side request names.
#include "query/request_checks.h"

#include "absl/strings/str_cat.h"

namespace ordo::query {
namespace {

constexpr size_t kShownChars = 32;

// Code points of valid UTF-8: the bytes that do not continue a sequence.
size_t CountCharacters(absl::string_view text) {
  size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

// The byte length of the first `chars` characters of valid UTF-8.
size_t PrefixBytes(absl::string_view text, size_t chars) {
  size_t seen = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && seen++ == chars) return i;
  }
  return text.size();
}

}  // namespace

std::string Shown(absl::string_view value) {
  const size_t prefix = PrefixBytes(value, kShownChars);
  if (prefix == value.size()) return std::string(value);
  return absl::StrCat(value.substr(0, prefix), "... (", value.size(), " bytes)");
}

absl::Status CheckText(absl::string_view field, absl::string_view value, size_t max_chars,
                       bool required) {
  if (value.empty()) {
    return required ? absl::InvalidArgumentError(absl::StrCat(field, ": required"))
                    : absl::OkStatus();
  }
  if (value.find('\0') != value.npos) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": must not contain NUL"));
  }
  const size_t chars = CountCharacters(value);
  if (chars > max_chars) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": at most ", max_chars, " characters, got ", chars));
  }
  return absl::OkStatus();
}

absl::Status CheckEnum(absl::string_view field, int value, bool (*is_valid)(int)) {
  if (is_valid(value)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(field, ": unknown value ", value));
}

}  // namespace ordo::query
