// The event contract of the Order aggregate: its stream type and its codec (with the
// upcasters of every older event shape).
#ifndef ORDO_EVENTS_ORDER_EVENTS_H_
#define ORDO_EVENTS_ORDER_EVENTS_H_

#include "events/event_codec.h"
#include "ordo/v1/order_events.pb.h"

namespace ordo::events {

// Order streams have the bare order id as stream id.
inline constexpr char kOrderStreamType[] = "order";

using OrderCodec = EventCodec<ordo::v1::OrderEvent>;

// The process-wide codec; built on first use.
const OrderCodec& OrderEvents();

}  // namespace ordo::events

#endif  // ORDO_EVENTS_ORDER_EVENTS_H_
