// The order_summary and order_lines read models (one row per order, one per order line),
// fed by the Order events. Batched: one batch loads the rows of the orders it touches,
// applies the events in memory, and writes back with a few multi-row statements.
#ifndef ORDO_QUERY_PROJECTORS_ORDER_SUMMARY_PROJECTION_H_
#define ORDO_QUERY_PROJECTORS_ORDER_SUMMARY_PROJECTION_H_

#include <string>
#include <vector>

#include "store/projection/projection.h"

namespace ordo::query {

inline constexpr char kOrderSummaryProjection[] = "order_summary";

class OrderSummaryProjection final : public store::Projection {
 public:
  const std::string& name() const override { return name_; }
  std::vector<std::string> tables() const override { return {"order_summary", "order_lines"}; }
  store::SubscriberFilter filter() const override;
  store::HandleResult Handle(const std::vector<store::RecordedEvent>& events,
                             pqxx::work& tx) override;

 private:
  const std::string name_ = kOrderSummaryProjection;
};

}  // namespace ordo::query

#endif  // ORDO_QUERY_PROJECTORS_ORDER_SUMMARY_PROJECTION_H_
