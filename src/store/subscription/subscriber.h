// A subscriber (DESIGN §10): anything that reacts to the log. The runtime hands it batches
// of events in log order (each stream's events in version order), only of the event and
// stream types it asks for (filtered in the tail's SQL), inside the transaction that also
// moves its checkpoint: its effects in PostgreSQL and its checkpoint move together.
#ifndef ORDO_STORE_SUBSCRIPTION_SUBSCRIBER_H_
#define ORDO_STORE_SUBSCRIPTION_SUBSCRIBER_H_

#include <cstddef>
#include <optional>
#include <pqxx/transaction>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "store/log/recorded_event.h"

namespace ordo::store {

// Which events a subscriber is handed; an empty list lets every value through.
struct SubscriberFilter {
  std::vector<std::string> event_types;
  std::vector<std::string> stream_types;
};

// What a batch came to: OK, or the error and, when it is tied to one event, that event's
// index in the batch (those before it may be handled again without it).
struct HandleResult {
  absl::Status status;
  std::optional<size_t> failed_index;

  static HandleResult Ok() { return {absl::OkStatus(), std::nullopt}; }
  static HandleResult FailedAt(size_t index, absl::Status error) {
    return {std::move(error), index};
  }
  // OK, or an error not tied to one event.
  static HandleResult From(absl::Status status) { return {std::move(status), std::nullopt}; }
  bool ok() const { return status.ok(); }
};

// Where a subscriber that never ran starts: at the first event of the log (a read model),
// or at what is appended from now on (a process manager, which must not act on the past).
enum class SubscriberStart { kFirstEvent, kNow };

class Subscriber {
 public:
  virtual ~Subscriber() = default;

  // Unique and stable: names the checkpoint row, the dead letters and the runner's lock.
  virtual const std::string& name() const = 0;

  virtual SubscriberFilter filter() const { return {}; }

  virtual SubscriberStart start() const { return SubscriberStart::kFirstEvent; }

  // Handles `events` (never empty) within `tx`. The runner rolls `tx` back on error.
  // UNAVAILABLE means something the subscriber needs is out of reach (a broker): the batch
  // is tried again after a pause, and no event is ever parked for it.
  virtual HandleResult Handle(const std::vector<RecordedEvent>& events, pqxx::work& tx) = 0;

  // Called on the runner's thread once the transaction of a successful Handle committed.
  virtual void AfterCommit() {}

  // For a rebuild an operator asked for: empties, within `tx`, all that Handle built, and
  // returns true; the runner then starts again from the first event. False (the default)
  // for a subscriber whose effects cannot be undone (payments taken, messages sent).
  virtual bool ResetForRebuild(pqxx::work& /*tx*/) { return false; }
};

}  // namespace ordo::store

#endif  // ORDO_STORE_SUBSCRIPTION_SUBSCRIBER_H_
