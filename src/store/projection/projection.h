// A projection: a named read model fed by the event log. The runner hands it batches of
// events in log order (each stream's events in version order) inside the transaction that
// also moves its checkpoint, so read model and checkpoint always move together.
#ifndef ORDO_STORE_PROJECTION_PROJECTION_H_
#define ORDO_STORE_PROJECTION_PROJECTION_H_

#include <pqxx/transaction>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "store/log/recorded_event.h"

namespace ordo::store {

class Projection {
 public:
  virtual ~Projection() = default;

  // Unique and stable: names the checkpoint row, the dead letters and the runner's lock.
  virtual const std::string& name() const = 0;

  // The read-model tables a rebuild empties.
  virtual std::vector<std::string> tables() const = 0;

  // Applies `events` within `tx`; events it does not handle are ignored. On error,
  // *failed_index is the index of the event that could not be applied (those before it
  // may be retried without it), or events.size() when the error is not tied to one event.
  // The runner rolls `tx` back on error.
  virtual absl::Status Apply(const std::vector<RecordedEvent>& events, pqxx::work& tx,
                             size_t* failed_index) = 0;
};

}  // namespace ordo::store

#endif  // ORDO_STORE_PROJECTION_PROJECTION_H_
