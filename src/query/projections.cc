// Every projection of the read side.
#include "query/projections.h"

#include "query/projectors/fulfilment_projection.h"
#include "query/projectors/order_summary_projection.h"
#include "query/projectors/stock_levels_projection.h"

namespace ordo::query {

std::vector<std::unique_ptr<store::Projection>> MakeProjections() {
  std::vector<std::unique_ptr<store::Projection>> projections;
  projections.push_back(std::make_unique<OrderSummaryProjection>());
  projections.push_back(std::make_unique<StockLevelsProjection>());
  projections.push_back(std::make_unique<FulfilmentProjection>());
  return projections;
}

store::Projection* FindProjection(
    const std::vector<std::unique_ptr<store::Projection>>& projections, const std::string& name) {
  for (const auto& projection : projections) {
    if (projection->name() == name) return projection.get();
  }
  return nullptr;
}

}  // namespace ordo::query
