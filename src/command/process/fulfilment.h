// The fulfilment saga's state (one order, DESIGN §11), rebuilt by folding the events of
// its stream "fulfilment:<order_id>" with Apply(). Pure, no I/O.
#ifndef ORDO_COMMAND_PROCESS_FULFILMENT_H_
#define ORDO_COMMAND_PROCESS_FULFILMENT_H_

#include <cstdint>
#include <map>
#include <string>

#include "ordo/v1/fulfilment_events.pb.h"

namespace ordo::process {

enum class FulfilmentStage {
  kNone,  // no saga for this order (yet)
  kReservingStock,
  kAuthorizingPayment,
  kShipping,  // payment authorised, shipment requested; `shipped` once the order shipped
  kCompleted,
  kCancelled,
};

enum class LineStatus { kPending, kReserved, kRejected };

struct FulfilmentLine {
  int64_t quantity = 0;
  LineStatus status = LineStatus::kPending;
};

struct Fulfilment {
  std::string order_id;
  std::string customer_id;
  int64_t amount_cents = 0;
  std::string currency;
  FulfilmentStage stage = FulfilmentStage::kNone;
  std::map<std::string, FulfilmentLine> lines;  // by SKU
  bool shipped = false;
  std::string tracking_number;
  std::string reason;  // when cancelled
  // The version of the last applied event; 0 while there is no saga.
  int32_t version = 0;
};

// Folds one event into `fulfilment` and advances its version by one.
void Apply(Fulfilment& fulfilment, const ordo::v1::FulfilmentEvent& event);

}  // namespace ordo::process

#endif  // ORDO_COMMAND_PROCESS_FULFILMENT_H_
