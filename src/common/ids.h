// Identifiers: random UUIDv4 strings for order ids, request ids and correlation ids, and
// name-based UUIDv5 strings for ids that must come out the same every time (a saga step's
// request id).
#ifndef ORDO_COMMON_IDS_H_
#define ORDO_COMMON_IDS_H_

#include <string>

namespace ordo {

// A random (version 4) UUID in canonical lower-case form. Thread-safe.
std::string NewUuid();

// The version 5 UUID of `name` in Ordo's namespace: the same name, the same id.
std::string NameBasedUuid(const std::string& name);

}  // namespace ordo

#endif  // ORDO_COMMON_IDS_H_
