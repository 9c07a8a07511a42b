// The sandbox carrier: tracking numbers derived from the order id.
#include "command/process/carrier.h"

#include "absl/strings/ascii.h"
#include "common/ids.h"

namespace ordo::process {

absl::StatusOr<Collection> SandboxCarrier::Collect(const std::string& order_id) {
  std::string id = NameBasedUuid("sandbox-carrier:" + order_id);
  std::string digits;
  for (char c : id) {
    if (c != '-') digits += c;
  }
  return Collection{"SBX" + absl::AsciiStrToUpper(digits.substr(0, 12)), "sandbox"};
}

}  // namespace ordo::process
