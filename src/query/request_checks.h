// Checks on what a query-side request names (DESIGN §14): ids and filters without NUL and
// within a length, known enum values, and error messages that show no more than a short
// prefix of a bad value (a 10 KB echo would overflow the client's metadata limit). A
// request's string fields are valid UTF-8 already: gRPC refuses one that is not before any
// handler runs (see common/request_errors.h).
#ifndef ORDO_QUERY_REQUEST_CHECKS_H_
#define ORDO_QUERY_REQUEST_CHECKS_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace ordo::query {

// The longest id any command accepts (order ids and SKUs 64, customer ids 128).
inline constexpr size_t kMaxIdChars = 128;
// Projection names, dead-letter reasons and other short texts.
inline constexpr size_t kMaxNameChars = 128;
inline constexpr size_t kMaxReasonChars = 500;

// `value` as an error message may show it: whole when short, else its first 32 characters
// and its size.
std::string Shown(absl::string_view value);

// INVALID_ARGUMENT naming `field` when `value` is empty (and `required`), holds NUL, or has
// more than `max_chars` characters.
absl::Status CheckText(absl::string_view field, absl::string_view value, size_t max_chars,
                       bool required);

inline absl::Status CheckId(absl::string_view field, absl::string_view value) {
  return CheckText(field, value, kMaxIdChars, /*required=*/true);
}
// An optional filter: empty means "any".
inline absl::Status CheckFilter(absl::string_view field, absl::string_view value) {
  return CheckText(field, value, kMaxIdChars, /*required=*/false);
}

// INVALID_ARGUMENT naming `field` when `value` is not one of the enum's values.
absl::Status CheckEnum(absl::string_view field, int value, bool (*is_valid)(int));

}  // namespace ordo::query

#endif  // ORDO_QUERY_REQUEST_CHECKS_H_
