// The Order event contract: stream type, codec and upcasters.
#include "events/order_events.h"

#include "events/upcasters/order_created_v1.h"

namespace ordo::events {

const OrderCodec& OrderEvents() {
  static const OrderCodec* codec = new OrderCodec(
      kOrderStreamType, UpcasterChain().Add("OrderCreated", 1, UpcastOrderCreatedV1));
  return *codec;
}

}  // namespace ordo::events
