// OrderCreated v1 -> v2: the flat `customer_id` became `customer { id, email }` (email
// empty: v1 never had one); `shipping_address` is new and optional, so absent.
#ifndef ORDO_EVENTS_UPCASTERS_ORDER_CREATED_V1_H_
#define ORDO_EVENTS_UPCASTERS_ORDER_CREATED_V1_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace ordo::events {

absl::StatusOr<std::string> UpcastOrderCreatedV1(std::string_view v1_json);

}  // namespace ordo::events

#endif  // ORDO_EVENTS_UPCASTERS_ORDER_CREATED_V1_H_
