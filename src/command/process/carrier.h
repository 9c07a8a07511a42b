// A parcel carrier as the saga sees it (DESIGN §11), and the built-in sandbox one: it
// collects a requested shipment when the saga's timer says the carrier came (after
// --carrier_delay) and names it with a tracking number made from the order id, so that
// asking again gives the same number.
#ifndef ORDO_COMMAND_PROCESS_CARRIER_H_
#define ORDO_COMMAND_PROCESS_CARRIER_H_

#include <string>

#include "absl/status/statusor.h"

namespace ordo::process {

struct Collection {
  std::string tracking_number;
  std::string carrier;
};

class Carrier {
 public:
  virtual ~Carrier() = default;
  // Idempotent per order.
  virtual absl::StatusOr<Collection> Collect(const std::string& order_id) = 0;
};

class SandboxCarrier : public Carrier {
 public:
  absl::StatusOr<Collection> Collect(const std::string& order_id) override;
};

}  // namespace ordo::process

#endif  // ORDO_COMMAND_PROCESS_CARRIER_H_
