// The dead_letters rows: events a subscriber could not handle, parked by stream (DESIGN
// §5), and what operators do with them (replay, discard). Every call is statements in the
// caller's transaction.
#ifndef ORDO_STORE_SUBSCRIPTION_DEAD_LETTER_STORE_H_
#define ORDO_STORE_SUBSCRIPTION_DEAD_LETTER_STORE_H_

#include <cstdint>
#include <optional>
#include <pqxx/transaction_base>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "store/log/recorded_event.h"

namespace ordo::store {

// The values of dead_letters.status (a CHECK constraint holds them to these).
enum class DeadLetterStatus {
  kParked,           // open: the subscriber skips the stream from here on
  kReplayRequested,  // open: the runner will hand the stream's letters to it again
  kReplayed,         // resolved: handled on replay
  kDiscarded,        // resolved: given up on, with a reason
};

const char* ToSql(DeadLetterStatus status);
std::optional<DeadLetterStatus> DeadLetterStatusFromSql(const std::string& text);

struct DeadLetter {
  int64_t id = 0;
  std::string subscriber;
  int64_t global_position = 0;
  std::string stream_id;
  int32_t version = 0;
  std::string event_type;
  std::string error;
  int32_t attempts = 0;
  DeadLetterStatus status = DeadLetterStatus::kParked;
  std::string discard_reason;
  absl::Time parked_at;
};

// One stream's open letters with a replay request, in stream order.
struct StreamReplay {
  std::string stream_id;
  std::vector<RecordedEvent> events;
  std::vector<int64_t> ids;
};

namespace dead_letter_store {

// Parks `event` for `subscriber` (again, if it was parked and replayed before).
void Park(pqxx::transaction_base& tx, const std::string& subscriber, const RecordedEvent& event,
          const std::string& error, int attempts);

// The streams with open letters: the subscriber skips their later events (parks them too).
std::set<std::string> OpenStreams(pqxx::transaction_base& tx, const std::string& subscriber);

std::vector<StreamReplay> RequestedReplays(pqxx::transaction_base& tx,
                                           const std::string& subscriber);
void MarkReplayed(pqxx::transaction_base& tx, const std::vector<int64_t>& ids);
void MarkReplayFailed(pqxx::transaction_base& tx, const std::vector<int64_t>& ids,
                      const std::string& error);

// Open ones unless include_resolved; every subscriber's when `subscriber` is empty. Oldest
// first.
std::vector<DeadLetter> List(pqxx::transaction_base& tx, const std::string& subscriber,
                             bool include_resolved);

// Marks every open letter of `id`'s stream for replay. NOT_FOUND; FAILED_PRECONDITION when
// `id` is not open. Returns the letters marked.
absl::StatusOr<std::vector<DeadLetter>> RequestReplay(pqxx::transaction_base& tx, int64_t id);

// NOT_FOUND; FAILED_PRECONDITION when `id` is not open.
absl::StatusOr<DeadLetter> Discard(pqxx::transaction_base& tx, int64_t id,
                                   const std::string& reason);

// Discards every open letter of `subscriber` (its state is being rebuilt from the start).
void DiscardAllOpen(pqxx::transaction_base& tx, const std::string& subscriber,
                    const std::string& reason);

}  // namespace dead_letter_store
}  // namespace ordo::store

#endif  // ORDO_STORE_SUBSCRIPTION_DEAD_LETTER_STORE_H_
