// The one mapping between an order's status and its text in order_summary.status.
#include "query/read_models/order_status_text.h"

namespace ordo::query {

const char* OrderStatusText(ordo::v1::OrderStatus status) {
  switch (status) {
    case ordo::v1::ORDER_STATUS_PENDING:
      return "PENDING";
    case ordo::v1::ORDER_STATUS_CONFIRMED:
      return "CONFIRMED";
    case ordo::v1::ORDER_STATUS_SHIPPED:
      return "SHIPPED";
    case ordo::v1::ORDER_STATUS_CANCELLED:
      return "CANCELLED";
    default:
      return "";
  }
}

ordo::v1::OrderStatus OrderStatusFromText(const std::string& text) {
  for (ordo::v1::OrderStatus status :
       {ordo::v1::ORDER_STATUS_PENDING, ordo::v1::ORDER_STATUS_CONFIRMED,
        ordo::v1::ORDER_STATUS_SHIPPED, ordo::v1::ORDER_STATUS_CANCELLED}) {
    if (text == OrderStatusText(status)) return status;
  }
  return ordo::v1::ORDER_STATUS_UNSPECIFIED;
}

}  // namespace ordo::query
