// The SELECTs behind GetFulfilment and ListFulfilments, over fulfilments and
// fulfilment_reservations, with keyset page tokens (order-id order). Thread-safe; the pool
// must outlive it.
#ifndef ORDO_QUERY_READ_MODELS_FULFILMENT_READ_MODEL_H_
#define ORDO_QUERY_READ_MODELS_FULFILMENT_READ_MODEL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "ordo/v1/fulfilment_query_service.pb.h"
#include "store/pg/connection_pool.h"
#include "store/projection/subscriber_metrics.h"

namespace ordo::query {

inline constexpr int kDefaultFulfilmentPageSize = 50;
inline constexpr int kMaxFulfilmentPageSize = 500;

// ordo_fulfilment_sagas{state}: the fulfilment sagas by state, counted in this read model
// (for store::SubscriberMetrics).
store::GaugeQuery FulfilmentsByStateGauge();

class FulfilmentReadModel {
 public:
  explicit FulfilmentReadModel(store::ConnectionPool& pool) : pool_(pool) {}

  // NOT_FOUND when the saga has not started one for this order.
  absl::StatusOr<ordo::v1::Fulfilment> Get(const std::string& order_id, absl::Time deadline);

  // INVALID_ARGUMENT for a negative page_size, an unknown state, or a page_token that is
  // malformed or was made for another filter.
  absl::StatusOr<ordo::v1::ListFulfilmentsResponse> List(
      const ordo::v1::ListFulfilmentsRequest& request, absl::Time deadline);

 private:
  store::ConnectionPool& pool_;
};

}  // namespace ordo::query

#endif  // ORDO_QUERY_READ_MODELS_FULFILMENT_READ_MODEL_H_
