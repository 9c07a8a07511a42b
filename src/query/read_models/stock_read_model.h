// The SELECTs behind GetStock and ListStock, over stock_levels, with keyset page tokens
// (SKU order). Thread-safe; the pool must outlive it.
#ifndef ORDO_QUERY_READ_MODELS_STOCK_READ_MODEL_H_
#define ORDO_QUERY_READ_MODELS_STOCK_READ_MODEL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "ordo/v1/inventory_query_service.pb.h"
#include "store/pg/connection_pool.h"

namespace ordo::query {

inline constexpr int kDefaultStockPageSize = 50;
inline constexpr int kMaxStockPageSize = 500;

class StockReadModel {
 public:
  explicit StockReadModel(store::ConnectionPool& pool) : pool_(pool) {}

  // NOT_FOUND when the read model has no such SKU.
  absl::StatusOr<ordo::v1::Stock> GetStock(const std::string& sku, absl::Time deadline);

  // INVALID_ARGUMENT for a negative page_size or a page_token that is malformed or was
  // made for another filter.
  absl::StatusOr<ordo::v1::ListStockResponse> ListStock(const ordo::v1::ListStockRequest& request,
                                                        absl::Time deadline);

 private:
  store::ConnectionPool& pool_;
};

}  // namespace ordo::query

#endif  // ORDO_QUERY_READ_MODELS_STOCK_READ_MODEL_H_
