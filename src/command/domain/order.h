// The Order aggregate's state, rebuilt by folding its events with Apply(). Pure, no I/O.
#ifndef ORDO_COMMAND_DOMAIN_ORDER_H_
#define ORDO_COMMAND_DOMAIN_ORDER_H_

#include <cstdint>
#include <map>
#include <string>

#include "ordo/v1/order_events.pb.h"

namespace ordo::domain {

enum class OrderStatus { kPending, kConfirmed, kShipped, kCancelled };

// "PENDING", "CONFIRMED", "SHIPPED" or "CANCELLED".
const char* OrderStatusName(OrderStatus status);

struct OrderLine {
  int64_t quantity = 0;
  int64_t unit_price_cents = 0;
};

struct Order {
  std::string order_id;
  std::string customer_id;
  std::string customer_email;
  std::string currency;
  OrderStatus status = OrderStatus::kPending;
  std::map<std::string, OrderLine> lines;  // by SKU
  int64_t total_units = 0;
  // The version of the last applied event; 0 while the order does not exist.
  int32_t version = 0;

  bool exists() const { return version > 0; }
};

// Folds one event into `order` and advances its version by one.
void Apply(Order& order, const ordo::v1::OrderEvent& event);

}  // namespace ordo::domain

#endif  // ORDO_COMMAND_DOMAIN_ORDER_H_
