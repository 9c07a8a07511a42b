// A projection (DESIGN §5): a subscriber whose effects are read-model rows written in the
// same transaction as its checkpoint, so read model and checkpoint always move together;
// it adds the tables a rebuild empties. A SubscriptionRunner runs it.
#ifndef ORDO_STORE_PROJECTION_PROJECTION_H_
#define ORDO_STORE_PROJECTION_PROJECTION_H_

#include <string>
#include <vector>

#include "store/subscription/subscriber.h"

namespace ordo::store {

class Projection : public Subscriber {
 public:
  // The read-model tables a rebuild empties.
  virtual std::vector<std::string> tables() const = 0;

  // Empties tables().
  bool ResetForRebuild(pqxx::work& tx) final;
};

}  // namespace ordo::store

#endif  // ORDO_STORE_PROJECTION_PROJECTION_H_
