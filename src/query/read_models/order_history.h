// GetOrderHistory: an order stream's events in version order, straight from the event log,
// in pages. Thread-safe.
#ifndef ORDO_QUERY_READ_MODELS_ORDER_HISTORY_H_
#define ORDO_QUERY_READ_MODELS_ORDER_HISTORY_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "ordo/v1/query_service.pb.h"
#include "store/pg/connection_pool.h"

namespace ordo::query {

inline constexpr int kDefaultHistoryPageSize = 100;
inline constexpr int kMaxHistoryPageSize = 1000;

class OrderHistory {
 public:
  explicit OrderHistory(store::ConnectionPool& pool) : pool_(pool) {}

  // NOT_FOUND for an order without events; INVALID_ARGUMENT for a bad page_size/page_token.
  absl::StatusOr<ordo::v1::GetOrderHistoryResponse> Get(
      const ordo::v1::GetOrderHistoryRequest& request, absl::Time deadline);

 private:
  store::ConnectionPool& pool_;
};

}  // namespace ordo::query

#endif  // ORDO_QUERY_READ_MODELS_ORDER_HISTORY_H_
