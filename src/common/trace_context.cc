// W3C traceparent parsing and new span ids.
#include "common/trace_context.h"

#include <openssl/rand.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace ordo {
namespace {

bool IsLowerHex(absl::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool AllZero(absl::string_view text) { return text.find_first_not_of('0') == text.npos; }

// `bytes` random bytes as lower-case hex, never all zero.
std::string RandomHex(int bytes) {
  unsigned char buffer[16];
  std::string hex;
  do {
    if (RAND_bytes(buffer, bytes) != 1) {
      // OpenSSL's generator does not fail once seeded; a constant still keeps ids valid.
      for (int i = 0; i < bytes; ++i) buffer[i] = static_cast<unsigned char>(i + 1);
    }
    hex = absl::BytesToHexString(
        absl::string_view(reinterpret_cast<const char*>(buffer), static_cast<size_t>(bytes)));
  } while (AllZero(hex));
  return hex;
}

}  // namespace

std::string TraceContext::traceparent() const {
  return absl::StrCat("00-", trace_id, "-", parent_id, "-", flags);
}

std::optional<TraceContext> ParseTraceparent(absl::string_view value) {
  value = absl::StripAsciiWhitespace(value);
  // version(2) - trace-id(32) - parent-id(16) - flags(2) = 55 characters.
  if (value.size() < 55 || value[2] != '-' || value[35] != '-' || value[52] != '-') {
    return std::nullopt;
  }
  const absl::string_view version = value.substr(0, 2);
  if (!IsLowerHex(version) || version == "ff") return std::nullopt;
  // Version 00 has exactly four fields; a later version may append more after a '-'.
  if (version == "00" ? value.size() != 55 : (value.size() > 55 && value[55] != '-')) {
    return std::nullopt;
  }
  TraceContext context{std::string(value.substr(3, 32)), std::string(value.substr(36, 16)),
                       std::string(value.substr(53, 2))};
  if (!IsLowerHex(context.trace_id) || !IsLowerHex(context.parent_id) ||
      !IsLowerHex(context.flags) || AllZero(context.trace_id) || AllZero(context.parent_id)) {
    return std::nullopt;
  }
  return context;
}

TraceContext NewTrace() { return TraceContext{RandomHex(16), RandomHex(8), "01"}; }

TraceContext ChildSpan(const TraceContext& parent) {
  return TraceContext{parent.trace_id, RandomHex(8), parent.flags};
}

TraceContext ContinueTrace(absl::string_view traceparent) {
  std::optional<TraceContext> parent = ParseTraceparent(traceparent);
  return parent ? ChildSpan(*parent) : NewTrace();
}

}  // namespace ordo
