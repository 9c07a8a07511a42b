// The SELECTs behind GetOrder and ListOrders, over order_summary and order_lines, with
// keyset page tokens (newest first: created_at DESC, order_id DESC). Thread-safe.
#ifndef ORDO_QUERY_READ_MODELS_ORDER_READ_MODEL_H_
#define ORDO_QUERY_READ_MODELS_ORDER_READ_MODEL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "ordo/v1/query_service.pb.h"
#include "store/pg/connection_pool.h"

namespace ordo::query {

inline constexpr int kDefaultOrderPageSize = 50;
inline constexpr int kMaxOrderPageSize = 500;

class OrderReadModel {
 public:
  explicit OrderReadModel(store::ConnectionPool& pool) : pool_(pool) {}

  // NOT_FOUND when the read model has no such order.
  absl::StatusOr<ordo::v1::Order> GetOrder(const std::string& order_id, absl::Time deadline);

  // INVALID_ARGUMENT for a negative page_size or a page_token that is malformed or was
  // made for other filters.
  absl::StatusOr<ordo::v1::ListOrdersResponse> ListOrders(
      const ordo::v1::ListOrdersRequest& request, absl::Time deadline);

 private:
  store::ConnectionPool& pool_;
};

}  // namespace ordo::query

#endif  // ORDO_QUERY_READ_MODELS_ORDER_READ_MODEL_H_
