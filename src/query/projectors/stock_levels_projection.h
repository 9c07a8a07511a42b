// The stock_levels read model (one row per SKU: on hand, reserved, available), fed by the
// inventory events. Batched: one batch loads the rows of the SKUs it touches, folds the
// events in memory, and writes them back in one statement.
#ifndef ORDO_QUERY_PROJECTORS_STOCK_LEVELS_PROJECTION_H_
#define ORDO_QUERY_PROJECTORS_STOCK_LEVELS_PROJECTION_H_

#include <string>
#include <vector>

#include "store/projection/projection.h"

namespace ordo::query {

inline constexpr char kStockLevelsProjection[] = "stock_levels";

class StockLevelsProjection final : public store::Projection {
 public:
  const std::string& name() const override { return name_; }
  std::vector<std::string> tables() const override { return {"stock_levels"}; }
  store::SubscriberFilter filter() const override;
  store::HandleResult Handle(const std::vector<store::RecordedEvent>& events,
                             pqxx::work& tx) override;

 private:
  const std::string name_ = kStockLevelsProjection;
};

}  // namespace ordo::query

#endif  // ORDO_QUERY_PROJECTORS_STOCK_LEVELS_PROJECTION_H_
