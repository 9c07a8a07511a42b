// The Fulfilment event contract: stream type, stream ids and codec.
#include "events/fulfilment_events.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace ordo::events {

std::string FulfilmentStreamId(const std::string& order_id) {
  return absl::StrCat(kFulfilmentStreamType, ":", order_id);
}

std::optional<std::string> OrderIdOfFulfilmentStream(const std::string& stream_id) {
  const std::string prefix = absl::StrCat(kFulfilmentStreamType, ":");
  if (!absl::StartsWith(stream_id, prefix) || stream_id.size() == prefix.size()) {
    return std::nullopt;
  }
  return stream_id.substr(prefix.size());
}

const FulfilmentCodec& FulfilmentEvents() {
  static const FulfilmentCodec* codec = new FulfilmentCodec(kFulfilmentStreamType, UpcasterChain());
  return *codec;
}

}  // namespace ordo::events
