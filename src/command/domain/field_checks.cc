// Field checks shared by every aggregate's validation.
#include "command/domain/field_checks.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "command/domain/text_rules.h"

namespace ordo::domain {

absl::Status Invalid(const char* field, const std::string& why) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", why));
}

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

}  // namespace ordo::domain
