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
#include "store/subscription/event_tail.h"
#include "store/subscription/subscriber.h"

namespace ordo::store {

class TailPrefetch {
 public:
  TailPrefetch(std::string connection_string, SubscriberFilter filter)
      : connection_string_(std::move(connection_string)), filter_(std::move(filter)) {}
  ~TailPrefetch() { Discard(); }
  TailPrefetch(const TailPrefetch&) = delete;
  TailPrefetch& operator=(const TailPrefetch&) = delete;

  // Starts reading up to `limit` events after `after` in the background (ReadTail with the
  // filter).
  void Start(const LogPosition& after, int limit);

  // What a read started for exactly `after` and `limit` found; waits for it. nullopt when no
  // such read was started, it failed, or it found nothing (new events may have come
  // since): then read the tail directly.
  std::optional<TailBatch> Take(const LogPosition& after, int limit);

  // Forgets any read in progress (waits for it to end).
  void Discard();

 private:
  absl::StatusOr<TailBatch> Read(LogPosition after, int limit);

  const std::string connection_string_;
  const SubscriberFilter filter_;
  std::unique_ptr<pqxx::connection> connection_;  // made on first use, dropped on error
  std::future<absl::StatusOr<TailBatch>> pending_;
  LogPosition pending_after_;
  int pending_limit_ = 0;
};

}  // namespace ordo::store

#endif  // ORDO_STORE_SUBSCRIPTION_TAIL_PREFETCH_H_
