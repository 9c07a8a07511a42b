// The fulfilments read model (one row per fulfilment, one per reserved line), fed by the
// saga's own events (stream type "fulfilment"). An event at or below a row's version was
// applied already and is skipped, so a batch handled again changes nothing.
#ifndef ORDO_QUERY_PROJECTORS_FULFILMENT_PROJECTION_H_
#define ORDO_QUERY_PROJECTORS_FULFILMENT_PROJECTION_H_

#include <string>
#include <vector>

#include "store/projection/projection.h"

namespace ordo::query {

inline constexpr char kFulfilmentProjection[] = "fulfilments";

class FulfilmentProjection final : public store::Projection {
 public:
  const std::string& name() const override { return name_; }
  std::vector<std::string> tables() const override {
    return {"fulfilment_reservations", "fulfilments"};
  }
  store::SubscriberFilter filter() const override;
  store::HandleResult Handle(const std::vector<store::RecordedEvent>& events,
                             pqxx::work& tx) override;

 private:
  const std::string name_ = kFulfilmentProjection;
};

}  // namespace ordo::query

#endif  // ORDO_QUERY_PROJECTORS_FULFILMENT_PROJECTION_H_
