// libFuzzer target: the consistency-token parser (store/log/log_position.h). Any input
// either fails with INVALID_ARGUMENT or decodes to a position whose token decodes back to
// the same position.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "absl/strings/string_view.h"
#include "store/log/log_position.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view token(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<ordo::store::LogPosition> decoded = ordo::store::DecodeConsistencyToken(token);
  if (!decoded.ok()) {
    if (!absl::IsInvalidArgument(decoded.status())) std::abort();
    return 0;
  }
  absl::StatusOr<ordo::store::LogPosition> again =
      ordo::store::DecodeConsistencyToken(ordo::store::EncodeConsistencyToken(*decoded));
  if (!again.ok() || !(*again == *decoded)) std::abort();
  return 0;
}
