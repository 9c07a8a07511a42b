// The dead_letters rows.
#include "store/subscription/dead_letter_store.h"

#include <pqxx/result>

#include "absl/strings/str_cat.h"
#include "store/log/event_rows.h"
#include "store/pg/sql_array.h"

namespace ordo::store {
namespace {

// The open letters: the ones the subscriber still skips its stream for.
#define ORDO_OPEN_DEAD_LETTER "status IN ('parked', 'replay_requested')"

#define ORDO_DEAD_LETTER_COLUMNS                                                       \
  "id, projection, global_position, stream_id, version, event_type, error, attempts, " \
  "status, coalesce(discard_reason, ''), (extract(epoch FROM parked_at) * 1000000)::bigint"

constexpr char kParkSql[] =
    "INSERT INTO dead_letters (projection, global_position, stream_id, version, event_type,"
    "                          error, attempts)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7)"
    " ON CONFLICT (projection, global_position) DO UPDATE"
    "   SET status = 'parked', error = EXCLUDED.error,"
    "       attempts = dead_letters.attempts + EXCLUDED.attempts,"
    "       parked_at = now(), resolved_at = NULL";

constexpr char kOpenStreamsSql[] =
    "SELECT DISTINCT stream_id FROM dead_letters WHERE projection = $1 AND " ORDO_OPEN_DEAD_LETTER;

constexpr char kRequestedReplaysSql[] =
    "SELECT e.*, d.id FROM dead_letters d"
    " CROSS JOIN LATERAL (SELECT " ORDO_EVENT_COLUMNS
    "   FROM events WHERE events.global_position = d.global_position) e"
    " WHERE d.projection = $1 AND d." ORDO_OPEN_DEAD_LETTER
    "   AND d.stream_id IN (SELECT stream_id FROM dead_letters"
    "                        WHERE projection = $1 AND status = 'replay_requested')"
    " ORDER BY d.stream_id, e.version";

constexpr char kMarkReplayedSql[] =
    "UPDATE dead_letters SET status = 'replayed', resolved_at = now()"
    " WHERE id = ANY($1::bigint[])";

constexpr char kMarkReplayFailedSql[] =
    "UPDATE dead_letters SET status = 'parked', attempts = attempts + 1, error = $2"
    " WHERE id = ANY($1::bigint[])";

constexpr char kListSql[] =
    "SELECT " ORDO_DEAD_LETTER_COLUMNS
    " FROM dead_letters"
    " WHERE ($1 = '' OR projection = $1) AND ($2 OR " ORDO_OPEN_DEAD_LETTER ") ORDER BY id";

constexpr char kFindSql[] = "SELECT projection, stream_id, status FROM dead_letters WHERE id = $1";

constexpr char kRequestReplaySql[] =
    "UPDATE dead_letters SET status = 'replay_requested'"
    " WHERE projection = $1 AND stream_id = $2 AND " ORDO_OPEN_DEAD_LETTER
    " RETURNING " ORDO_DEAD_LETTER_COLUMNS;

constexpr char kDiscardSql[] =
    "UPDATE dead_letters SET status = 'discarded', discard_reason = $2, resolved_at = now()"
    " WHERE id = $1 AND " ORDO_OPEN_DEAD_LETTER " RETURNING " ORDO_DEAD_LETTER_COLUMNS;

constexpr char kDiscardAllOpenSql[] =
    "UPDATE dead_letters SET status = 'discarded', discard_reason = $2, resolved_at = now()"
    " WHERE projection = $1 AND " ORDO_OPEN_DEAD_LETTER;

DeadLetter DeadLetterFromRow(const pqxx::row& row) {
  DeadLetter letter;
  letter.id = row[0].as<int64_t>();
  letter.subscriber = row[1].as<std::string>();
  letter.global_position = row[2].as<int64_t>();
  letter.stream_id = row[3].as<std::string>();
  letter.version = row[4].as<int32_t>();
  letter.event_type = row[5].as<std::string>();
  letter.error = row[6].as<std::string>();
  letter.attempts = row[7].as<int32_t>();
  // The CHECK constraint admits no other value.
  letter.status =
      DeadLetterStatusFromSql(row[8].as<std::string>()).value_or(DeadLetterStatus::kParked);
  letter.discard_reason = row[9].as<std::string>();
  letter.parked_at = absl::FromUnixMicros(row[10].as<int64_t>());
  return letter;
}

std::vector<DeadLetter> DeadLettersFrom(const pqxx::result& rows) {
  std::vector<DeadLetter> letters;
  for (const pqxx::row& row : rows) letters.push_back(DeadLetterFromRow(row));
  return letters;
}

bool IsOpen(const std::string& status) {
  return status == ToSql(DeadLetterStatus::kParked) ||
         status == ToSql(DeadLetterStatus::kReplayRequested);
}

}  // namespace

const char* ToSql(DeadLetterStatus status) {
  switch (status) {
    case DeadLetterStatus::kParked:
      return "parked";
    case DeadLetterStatus::kReplayRequested:
      return "replay_requested";
    case DeadLetterStatus::kReplayed:
      return "replayed";
    case DeadLetterStatus::kDiscarded:
      return "discarded";
  }
  return "parked";
}

std::optional<DeadLetterStatus> DeadLetterStatusFromSql(const std::string& text) {
  for (DeadLetterStatus status : {DeadLetterStatus::kParked, DeadLetterStatus::kReplayRequested,
                                  DeadLetterStatus::kReplayed, DeadLetterStatus::kDiscarded}) {
    if (text == ToSql(status)) return status;
  }
  return std::nullopt;
}

namespace dead_letter_store {

void Park(pqxx::transaction_base& tx, const std::string& subscriber, const RecordedEvent& event,
          const std::string& error, int attempts) {
  tx.exec_params(kParkSql, subscriber, event.position.global_position, event.stream_id,
                 event.version, event.event_type, error, attempts);
}

std::set<std::string> OpenStreams(pqxx::transaction_base& tx, const std::string& subscriber) {
  std::set<std::string> streams;
  for (const pqxx::row& row : tx.exec_params(kOpenStreamsSql, subscriber)) {
    streams.insert(row[0].as<std::string>());
  }
  return streams;
}

std::vector<StreamReplay> RequestedReplays(pqxx::transaction_base& tx,
                                           const std::string& subscriber) {
  std::vector<StreamReplay> replays;
  for (const pqxx::row& row : tx.exec_params(kRequestedReplaysSql, subscriber)) {
    RecordedEvent event = EventFromRow(row);
    if (replays.empty() || replays.back().stream_id != event.stream_id) {
      replays.push_back(StreamReplay{event.stream_id, {}, {}});
    }
    // The letter's id follows the event's columns.
    replays.back().ids.push_back(row[kEventColumnCount].as<int64_t>());
    replays.back().events.push_back(std::move(event));
  }
  return replays;
}

void MarkReplayed(pqxx::transaction_base& tx, const std::vector<int64_t>& ids) {
  tx.exec_params(kMarkReplayedSql, IntArrayLiteral(ids));
}

void MarkReplayFailed(pqxx::transaction_base& tx, const std::vector<int64_t>& ids,
                      const std::string& error) {
  tx.exec_params(kMarkReplayFailedSql, IntArrayLiteral(ids), error);
}

std::vector<DeadLetter> List(pqxx::transaction_base& tx, const std::string& subscriber,
                             bool include_resolved) {
  return DeadLettersFrom(tx.exec_params(kListSql, subscriber, include_resolved));
}

absl::StatusOr<std::vector<DeadLetter>> RequestReplay(pqxx::transaction_base& tx, int64_t id) {
  pqxx::result found = tx.exec_params(kFindSql, id);
  if (found.empty()) return absl::NotFoundError(absl::StrCat("dead letter ", id, " not found"));
  const std::string status = found[0][2].as<std::string>();
  if (!IsOpen(status)) {
    return absl::FailedPreconditionError(
        absl::StrCat("dead letter ", id, " is ", status, ", not parked"));
  }
  return DeadLettersFrom(tx.exec_params(kRequestReplaySql, found[0][0].as<std::string>(),
                                        found[0][1].as<std::string>()));
}

absl::StatusOr<DeadLetter> Discard(pqxx::transaction_base& tx, int64_t id,
                                   const std::string& reason) {
  pqxx::result rows = tx.exec_params(kDiscardSql, id, reason);
  if (!rows.empty()) return DeadLetterFromRow(rows[0]);
  pqxx::result found = tx.exec_params(kFindSql, id);
  if (found.empty()) return absl::NotFoundError(absl::StrCat("dead letter ", id, " not found"));
  return absl::FailedPreconditionError(
      absl::StrCat("dead letter ", id, " is ", found[0][2].as<std::string>(), ", not parked"));
}

void DiscardAllOpen(pqxx::transaction_base& tx, const std::string& subscriber,
                    const std::string& reason) {
  tx.exec_params(kDiscardAllOpenSql, subscriber, reason);
}

}  // namespace dead_letter_store
}  // namespace ordo::store
