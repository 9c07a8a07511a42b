// Reads the next batch of the event tail in the background.
#include "store/subscription/tail_prefetch.h"

#include <pqxx/nontransaction>

#include "store/subscription/event_tail.h"
#include "store/pg/pg_status.h"

namespace ordo::store {

void TailPrefetch::Start(const LogPosition& after, int limit) {
  Discard();
  pending_after_ = after;
  pending_ = std::async(std::launch::async, [this, after, limit] { return Read(after, limit); });
}

absl::StatusOr<std::vector<RecordedEvent>> TailPrefetch::Read(LogPosition after, int limit) {
  absl::StatusOr<std::vector<RecordedEvent>> events =
      GuardPq("prefetch tail", [&]() -> absl::StatusOr<std::vector<RecordedEvent>> {
        if (connection_ == nullptr) {
          connection_ = std::make_unique<pqxx::connection>(connection_string_);
          pqxx::nontransaction(*connection_).exec(kTailSessionSql);
        }
        pqxx::nontransaction tx(*connection_);
        return ReadTail(tx, after, limit);
      });
  if (!events.ok()) connection_.reset();
  return events;
}

std::optional<std::vector<RecordedEvent>> TailPrefetch::Take(const LogPosition& after, int limit) {
  if (!pending_.valid()) return std::nullopt;
  absl::StatusOr<std::vector<RecordedEvent>> events = pending_.get();
  if (!events.ok() || events->empty() || !(pending_after_ == after)) return std::nullopt;
  if (events->size() > static_cast<size_t>(limit)) events->resize(limit);
  return *std::move(events);
}

void TailPrefetch::Discard() {
  if (pending_.valid()) pending_.wait();
  pending_ = {};
}

}  // namespace ordo::store
