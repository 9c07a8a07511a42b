// The one mapping between an order's status and its text in order_summary.status
// ("PENDING", "CONFIRMED", "SHIPPED", "CANCELLED"), used by the projector and the reads.
#ifndef ORDO_QUERY_READ_MODELS_ORDER_STATUS_TEXT_H_
#define ORDO_QUERY_READ_MODELS_ORDER_STATUS_TEXT_H_

#include <string>

#include "ordo/v1/query_service.pb.h"

namespace ordo::query {

// "" for ORDER_STATUS_UNSPECIFIED and unknown values.
const char* OrderStatusText(ordo::v1::OrderStatus status);

// ORDER_STATUS_UNSPECIFIED for a text that is none of the four.
ordo::v1::OrderStatus OrderStatusFromText(const std::string& text);

}  // namespace ordo::query

#endif  // ORDO_QUERY_READ_MODELS_ORDER_STATUS_TEXT_H_
