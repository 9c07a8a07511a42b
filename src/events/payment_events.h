// The event contract of the Payment stream type (DESIGN §11): stream type, stream ids, codec.
#ifndef ORDO_EVENTS_PAYMENT_EVENTS_H_
#define ORDO_EVENTS_PAYMENT_EVENTS_H_

#include <optional>
#include <string>

#include "events/event_codec.h"
#include "ordo/v1/payment_events.pb.h"

namespace ordo::events {

inline constexpr char kPaymentStreamType[] = "payment";

// "payment:<order_id>": one per order, prefixed so that no order id can be the same.
std::string PaymentStreamId(const std::string& order_id);
// The order id of a "payment:<order_id>" stream id; nullopt for any other.
std::optional<std::string> OrderIdOfPaymentStream(const std::string& stream_id);

using PaymentCodec = EventCodec<ordo::v1::PaymentEvent>;

// The process-wide codec; built on first use.
const PaymentCodec& PaymentEvents();

}  // namespace ordo::events

#endif  // ORDO_EVENTS_PAYMENT_EVENTS_H_
