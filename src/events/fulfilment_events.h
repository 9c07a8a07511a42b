// The event contract of the Fulfilment stream type (DESIGN §11): stream type, stream ids, codec.
#ifndef ORDO_EVENTS_FULFILMENT_EVENTS_H_
#define ORDO_EVENTS_FULFILMENT_EVENTS_H_

#include <optional>
#include <string>

#include "events/event_codec.h"
#include "ordo/v1/fulfilment_events.pb.h"

namespace ordo::events {

inline constexpr char kFulfilmentStreamType[] = "fulfilment";

// "fulfilment:<order_id>": one per order, prefixed so that no order id can be the same.
std::string FulfilmentStreamId(const std::string& order_id);
// The order id of a "fulfilment:<order_id>" stream id; nullopt for any other.
std::optional<std::string> OrderIdOfFulfilmentStream(const std::string& stream_id);

using FulfilmentCodec = EventCodec<ordo::v1::FulfilmentEvent>;

// The process-wide codec; built on first use.
const FulfilmentCodec& FulfilmentEvents();

}  // namespace ordo::events

#endif  // ORDO_EVENTS_FULFILMENT_EVENTS_H_
