// Checks on user-supplied text: valid UTF-8, no NUL, lengths in characters (code points).
// Pure functions, no I/O.
#ifndef ORDO_COMMAND_DOMAIN_TEXT_RULES_H_
#define ORDO_COMMAND_DOMAIN_TEXT_RULES_H_

#include <cstddef>
#include <optional>
#include <string_view>

namespace ordo::domain {

// The number of code points in `text` when it is valid UTF-8 (no overlong forms, no
// surrogates, nothing above U+10FFFF) without NUL; std::nullopt otherwise.
std::optional<size_t> CountCharacters(std::string_view text);

// True when every byte is an ASCII letter, digit, '.', '_' or '-'.
bool IsIdentifierText(std::string_view text);

// True when `text` is valid UTF-8 and no code point is a control character (C0, DEL, C1).
bool IsPrintableText(std::string_view text);

// True when `text` is exactly three ASCII upper-case letters.
bool IsCurrencyCode(std::string_view text);

}  // namespace ordo::domain

#endif  // ORDO_COMMAND_DOMAIN_TEXT_RULES_H_
