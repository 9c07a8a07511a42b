// Field checks shared by every aggregate's validation: each failure an INVALID_ARGUMENT
// whose message starts with the field's name. Pure, no I/O.
#ifndef ORDO_COMMAND_DOMAIN_FIELD_CHECKS_H_
#define ORDO_COMMAND_DOMAIN_FIELD_CHECKS_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"

namespace ordo::domain {

// "<field>: <why>" as INVALID_ARGUMENT.
absl::Status Invalid(const char* field, const std::string& why);

// Valid UTF-8 without NUL, and between min_chars and max_chars characters.
absl::Status CheckText(const char* field, const std::string& value, size_t min_chars,
                       size_t max_chars);

// 1 to max_chars of [A-Za-z0-9._-] (ids, SKUs).
absl::Status CheckIdentifier(const char* field, const std::string& value, size_t max_chars);

}  // namespace ordo::domain

#endif  // ORDO_COMMAND_DOMAIN_FIELD_CHECKS_H_
