// The append-only event store over the PostgreSQL `events` table (DESIGN §3): optimistic
// appends guarded by the stream version, stream reads, and the idempotency record of a
// request written in the same transaction as its events. Knows no domain. Thread-safe.
#ifndef ORDO_STORE_LOG_EVENT_STORE_H_
#define ORDO_STORE_LOG_EVENT_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "store/log/append_coalescer.h"
#include "store/log/append_types.h"
#include "store/log/change_notifier.h"
#include "store/log/log_position.h"
#include "store/log/recorded_event.h"
#include "store/pg/connection_pool.h"

namespace ordo::store {

// How an append wakes the projectors.
enum class NotifyMode {
  kAfterCommit,    // ChangeNotifier::Notify() after commit (coalesced, outside the tx)
  kInTransaction,  // NOTIFY inside the append transaction (for comparison only)
  kOff,            // projectors rely on their poll
};

struct EventStoreOptions {
  NotifyMode notify_mode = NotifyMode::kOff;
  ChangeNotifier* notifier = nullptr;  // used with kAfterCommit; must outlive the store
  // Group commit: concurrent appends to different streams go to the database together,
  // in one statement and one transaction of at most this many appends; 1 turns it off.
  // Each append keeps its own outcome: a wrong expected version fails only its own. Two
  // batches may run at once (measured: as fast as one at 8 in flight, about 1.1x at 32),
  // and a batch stuck for 50 ms stops counting, so a lock wait cannot stall the rest.
  int max_group_commit = 1;
};

// The state of a stream at `version`, as its aggregate wrote it (DESIGN §9).
struct Snapshot {
  std::string stream_id;
  std::string stream_type;
  int32_t version = 0;
  LogPosition position;  // of the event at `version`
  int32_t schema_version = 0;
  std::string state_json;
};

class EventStore {
 public:
  // `pool` must outlive the store.
  explicit EventStore(ConnectionPool& pool, EventStoreOptions options = {});

  // Appends `request.events` as versions expected_version+1, +2, ... in one transaction.
  // ABORTED: the stream is not at expected_version (another writer got there first);
  // ALREADY_EXISTS: request.request_id was recorded by another call (see FindRequest);
  // UNAVAILABLE: database unreachable, or the commit's outcome is unknown.
  absl::StatusOr<AppendResult> Append(AppendRequest request, absl::Time deadline);

  // Append, answered through `done`. With group commit the append joins a batch and
  // `done` runs on the batch's thread (so it must not block); without, the append runs
  // and `done` is called on the calling thread before this returns.
  void AppendAsync(AppendRequest request, absl::Time deadline, AppendCoalescer::Done done);

  // True when AppendAsync does not block the calling thread (group commit is on).
  bool appends_in_background() const { return coalescer_.has_value(); }

  // Appends to distinct streams in one statement and one transaction (what group commit
  // runs); each request gets its own outcome, as from Append. When the statement fails as
  // a whole (a unique violation, say), each request is run alone to get its own.
  std::vector<absl::StatusOr<AppendResult>> AppendBatch(
      const std::vector<const AppendRequest*>& requests, absl::Time deadline);

  // The events of `stream_id` with version >= from_version, in version order.
  absl::StatusOr<std::vector<RecordedEvent>> ReadStream(const std::string& stream_id,
                                                        int32_t from_version, absl::Time deadline);

  // The stream's snapshot when it has one of `schema_version`; nullopt otherwise.
  absl::StatusOr<std::optional<Snapshot>> ReadSnapshot(const std::string& stream_id,
                                                       int32_t schema_version, absl::Time deadline);

  // Stores `snapshot` unless the stream has a newer one of the same schema version.
  absl::Status WriteSnapshot(const Snapshot& snapshot, absl::Time deadline);

  // OK when the database is reachable and migrated (the events and command_requests
  // tables exist); UNAVAILABLE or FAILED_PRECONDITION otherwise, with the reason.
  absl::Status CheckReady(absl::Time deadline);

  // What an earlier append recorded for `request_id`; NOT_FOUND when none did.
  absl::StatusOr<RecordedRequest> FindRequest(const std::string& request_id, absl::Time deadline);

 private:
  // One append in its own statement.
  absl::StatusOr<AppendResult> AppendOne(const AppendRequest& request, absl::Time deadline);
  // Wakes the subscribers of what these committed requests appended.
  void NotifyAfterCommit(const std::vector<const AppendRequest*>& committed);

  ConnectionPool& pool_;
  const EventStoreOptions options_;
  std::optional<AppendCoalescer> coalescer_;  // with group commit
};

}  // namespace ordo::store

#endif  // ORDO_STORE_LOG_EVENT_STORE_H_
