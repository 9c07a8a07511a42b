// The Payment event contract: stream type, stream ids and codec.
#include "events/payment_events.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace ordo::events {

std::string PaymentStreamId(const std::string& order_id) {
  return absl::StrCat(kPaymentStreamType, ":", order_id);
}

std::optional<std::string> OrderIdOfPaymentStream(const std::string& stream_id) {
  const std::string prefix = absl::StrCat(kPaymentStreamType, ":");
  if (!absl::StartsWith(stream_id, prefix) || stream_id.size() == prefix.size()) {
    return std::nullopt;
  }
  return stream_id.substr(prefix.size());
}

const PaymentCodec& PaymentEvents() {
  static const PaymentCodec* codec = new PaymentCodec(kPaymentStreamType, UpcasterChain());
  return *codec;
}

}  // namespace ordo::events
