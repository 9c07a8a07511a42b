// libFuzzer target: the event decoder with the upcasters (src/events/): a stored event of
// any stream type, event type and schema version, with any payload. Decoding and lifting
// either succeed or fail with a status; they never crash, and what lifts also decodes.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "events/fulfilment_events.h"
#include "events/inventory_events.h"
#include "events/order_events.h"
#include "events/payment_events.h"
#include "events/shipment_events.h"

namespace {

const std::vector<std::string>& EventTypes() {
  static const auto* types = new std::vector<std::string>{
      "OrderCreated",      "OrderItemAdded",     "OrderItemRemoved",  "OrderConfirmed",
      "OrderShipped",      "OrderCancelled",     "StockReceived",     "StockAdjusted",
      "StockReserved",     "StockReleased",      "StockCommitted",    "PaymentRequested",
      "PaymentAuthorized", "PaymentDeclined",    "PaymentCaptured",   "PaymentVoided",
      "ShipmentRequested", "ShipmentDispatched", "FulfilmentStarted", "FulfilmentCompleted",
      "NotAnEvent"};
  return *types;
}

template <typename Codec>
void DecodeAndLift(const Codec& codec, const ordo::store::RecordedEvent& stored) {
  auto lifted = codec.Lift(stored);
  auto decoded = codec.Decode(stored);
  if (lifted.ok() && !decoded.ok()) std::abort();  // a payload that lifts must decode
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  ordo::store::RecordedEvent stored;
  stored.stream_id = "fuzz-1";
  stored.version = 1;
  stored.event_type = EventTypes()[in.ConsumeIntegralInRange<size_t>(0, EventTypes().size() - 1)];
  stored.schema_version = in.ConsumeIntegralInRange<int32_t>(-1, 4);
  const int stream = in.ConsumeIntegralInRange(0, 4);
  stored.payload_json = in.ConsumeRemainingBytesAsString();
  switch (stream) {
    case 0:
      return DecodeAndLift(ordo::events::OrderEvents(), stored), 0;
    case 1:
      return DecodeAndLift(ordo::events::InventoryEvents(), stored), 0;
    case 2:
      return DecodeAndLift(ordo::events::PaymentEvents(), stored), 0;
    case 3:
      return DecodeAndLift(ordo::events::ShipmentEvents(), stored), 0;
    default:
      return DecodeAndLift(ordo::events::FulfilmentEvents(), stored), 0;
  }
}
