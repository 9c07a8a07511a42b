// Reads the next batch of the event tail in the background.
#include "store/subscription/tail_prefetch.h"

#include <pqxx/nontransaction>

#include "store/pg/pg_status.h"
#include "store/subscription/event_tail.h"

namespace ordo::store {

void TailPrefetch::Start(const LogPosition& after, int limit) {
  Discard();
  pending_after_ = after;
  pending_limit_ = limit;
  pending_ = std::async(std::launch::async, [this, after, limit] { return Read(after, limit); });
}

absl::StatusOr<TailBatch> TailPrefetch::Read(LogPosition after, int limit) {
  absl::StatusOr<TailBatch> events = GuardPq("prefetch tail", [&]() -> absl::StatusOr<TailBatch> {
    if (connection_ == nullptr) {
      connection_ = std::make_unique<pqxx::connection>(connection_string_);
      pqxx::nontransaction(*connection_).exec(kTailSessionSql);
    }
    pqxx::nontransaction tx(*connection_);
    return ReadTail(tx, after, limit, filter_);
  });
  if (!events.ok()) connection_.reset();
  return events;
}

std::optional<TailBatch> TailPrefetch::Take(const LogPosition& after, int limit) {
  if (!pending_.valid()) return std::nullopt;
  absl::StatusOr<TailBatch> batch = pending_.get();
  if (!batch.ok() || batch->scanned == 0 || !(pending_after_ == after) || pending_limit_ != limit) {
    return std::nullopt;
  }
  return *std::move(batch);
}

void TailPrefetch::Discard() {
  if (pending_.valid()) pending_.wait();
  pending_ = {};
}

}  // namespace ordo::store
