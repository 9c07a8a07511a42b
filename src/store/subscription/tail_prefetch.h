// Reads the next batch of the event tail on a connection of its own while the current
// batch is being applied, so that during a catch-up the database reads the log and writes
// the read model at the same time instead of taking turns. Used by one thread.
#ifndef ORDO_STORE_SUBSCRIPTION_TAIL_PREFETCH_H_
#define ORDO_STORE_SUBSCRIPTION_TAIL_PREFETCH_H_

#include <future>
#include <memory>
#include <optional>
#include <pqxx/connection>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "store/log/log_position.h"
#include "store/log/recorded_event.h"

namespace ordo::store {

class TailPrefetch {
 public:
  explicit TailPrefetch(std::string connection_string)
      : connection_string_(std::move(connection_string)) {}
  ~TailPrefetch() { Discard(); }
  TailPrefetch(const TailPrefetch&) = delete;
  TailPrefetch& operator=(const TailPrefetch&) = delete;

  // Starts reading up to `limit` events after `after` in the background (ReadTail).
  void Start(const LogPosition& after, int limit);

  // The events a read started for exactly `after` found, at most `limit` of them; waits for
  // it. nullopt when no such read was started, it failed, or it found nothing (new events
  // may have come since): then read the tail directly.
  std::optional<std::vector<RecordedEvent>> Take(const LogPosition& after, int limit);

  // Forgets any read in progress (waits for it to end).
  void Discard();

 private:
  absl::StatusOr<std::vector<RecordedEvent>> Read(LogPosition after, int limit);

  const std::string connection_string_;
  std::unique_ptr<pqxx::connection> connection_;  // made on first use, dropped on error
  std::future<absl::StatusOr<std::vector<RecordedEvent>>> pending_;
  LogPosition pending_after_;
};

}  // namespace ordo::store

#endif  // ORDO_STORE_SUBSCRIPTION_TAIL_PREFETCH_H_
