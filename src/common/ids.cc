// Random (v4) and name-based (v5) UUIDs.
#include "common/ids.h"

#include <openssl/sha.h>

#include <cstdint>

#include "absl/random/random.h"
#include "absl/strings/str_format.h"

namespace ordo {
namespace {

// Ordo's UUIDv5 namespace (a fixed random UUID).
constexpr unsigned char kNamespace[16] = {0x6f, 0x72, 0x64, 0x6f, 0x1c, 0x5e, 0x4b, 0x2a,
                                          0x9d, 0x0e, 0x51, 0x37, 0xa4, 0x8b, 0x22, 0xf1};

std::string Format(const unsigned char b[16]) {
  return absl::StrFormat("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                         b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
                         b[12], b[13], b[14], b[15]);
}

}  // namespace

std::string NewUuid() {
  thread_local absl::BitGen gen;
  uint64_t hi = absl::Uniform<uint64_t>(gen);
  uint64_t lo = absl::Uniform<uint64_t>(gen);
  hi = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  return absl::StrFormat("%08x-%04x-%04x-%04x-%012x", hi >> 32, (hi >> 16) & 0xFFFF, hi & 0xFFFF,
                         lo >> 48, lo & 0xFFFFFFFFFFFFULL);
}

std::string NameBasedUuid(const std::string& name) {
  std::string input(reinterpret_cast<const char*>(kNamespace), sizeof(kNamespace));
  input += name;
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  digest[6] = (digest[6] & 0x0F) | 0x50;  // version 5
  digest[8] = (digest[8] & 0x3F) | 0x80;  // RFC 4122 variant
  return Format(digest);
}

}  // namespace ordo
