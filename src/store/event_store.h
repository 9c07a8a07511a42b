// The append-only event store over the PostgreSQL `events` table (DESIGN §3): optimistic
// appends guarded by the stream version, stream reads, and the idempotency record of a
// request written in the same transaction as its events. Knows no domain. Thread-safe.
#ifndef ORDO_STORE_EVENT_STORE_H_
#define ORDO_STORE_EVENT_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "store/change_notifier.h"
#include "store/connection_pool.h"
#include "store/log_position.h"

namespace ordo::store {

struct NewEvent {
  std::string event_type;
  int32_t schema_version = 1;
  std::string payload_json;
};

struct RecordedEvent {
  std::string stream_id;
  std::string stream_type;
  int32_t version = 0;
  LogPosition position;
  std::string event_id;
  std::string event_type;
  int32_t schema_version = 0;
  std::string payload_json;
  std::string metadata_json;
  absl::Time recorded_at;
};

// An idempotency key and a fingerprint of the request it stands for.
struct RequestKey {
  std::string request_id;
  std::string fingerprint;
};

struct AppendRequest {
  std::string stream_id;
  std::string stream_type;
  // The stream's current version, known from a read: 0 for a stream that must not exist.
  int32_t expected_version = 0;
  std::vector<NewEvent> events;      // at least one
  std::string metadata_json = "{}";  // stored with every event
  // When set, recorded with the outcome in the same transaction as the events.
  std::optional<RequestKey> request;
};

struct AppendResult {
  std::string stream_id;
  int32_t version = 0;   // the stream's version after the append
  LogPosition position;  // of the last appended event
};

struct RecordedRequest {
  std::string fingerprint;
  AppendResult result;
};

// How an append wakes the projectors.
enum class NotifyMode {
  kAfterCommit,    // ChangeNotifier::Notify() after commit (coalesced, outside the tx)
  kInTransaction,  // NOTIFY inside the append transaction (for comparison only)
  kOff,            // projectors rely on their poll
};

class EventStore {
 public:
  // `pool` and `notifier` must outlive the store; `notifier` is used with kAfterCommit.
  explicit EventStore(ConnectionPool& pool, NotifyMode notify_mode = NotifyMode::kOff,
                      ChangeNotifier* notifier = nullptr)
      : pool_(pool), notify_mode_(notify_mode), notifier_(notifier) {}

  // Appends `request.events` as versions expected_version+1, +2, ... in one transaction.
  // ABORTED: the stream is not at expected_version (another writer got there first);
  // ALREADY_EXISTS: request.request_id was recorded by another call (see FindRequest);
  // UNAVAILABLE: database unreachable, or the commit's outcome is unknown.
  absl::StatusOr<AppendResult> Append(const AppendRequest& request, absl::Time deadline);

  // The events of `stream_id` with version >= from_version, in version order.
  absl::StatusOr<std::vector<RecordedEvent>> ReadStream(const std::string& stream_id,
                                                        int32_t from_version, absl::Time deadline);

  // OK when the database is reachable and migrated (the events and command_requests
  // tables exist); UNAVAILABLE or FAILED_PRECONDITION otherwise, with the reason.
  absl::Status CheckReady(absl::Time deadline);

  // What an earlier append recorded for `request_id`; NOT_FOUND when none did.
  absl::StatusOr<RecordedRequest> FindRequest(const std::string& request_id, absl::Time deadline);

 private:
  ConnectionPool& pool_;
  const NotifyMode notify_mode_;
  ChangeNotifier* const notifier_;
};

}  // namespace ordo::store

#endif  // ORDO_STORE_EVENT_STORE_H_
