// Random identifiers: UUIDv4 strings for order ids, request ids and correlation ids.
#ifndef ORDO_COMMON_IDS_H_
#define ORDO_COMMON_IDS_H_

#include <string>

namespace ordo {

// A random (version 4) UUID in canonical lower-case form. Thread-safe.
std::string NewUuid();

}  // namespace ordo

#endif  // ORDO_COMMON_IDS_H_
