// Operating projections from outside their runners.
#include "store/projection/projection_admin.h"

#include <algorithm>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/status_macros.h"
#include "store/log/change_notifier.h"
#include "store/pg/pg_status.h"

namespace ordo::store {
namespace {

constexpr char kOverviewSql[] = R"sql(
SELECT c.name, c.tx_id, c.global_position, c.state, coalesce(c.last_error, ''),
       (extract(epoch FROM c.heartbeat_at) * 1000000)::bigint,
       (SELECT count(*) FROM events e
         WHERE (e.tx_id, e.global_position) > (c.tx_id, c.global_position)),
       coalesce(extract(epoch FROM now() - (
         SELECT min(e.recorded_at) FROM events e
          WHERE (e.tx_id, e.global_position) > (c.tx_id, c.global_position))), 0)::float8,
       (SELECT count(*) FROM dead_letters d
         WHERE d.projection = c.name AND d.status IN ('parked', 'replay_requested'))
  FROM projection_checkpoints c
 ORDER BY c.name
)sql";

constexpr char kOldestTransactionSql[] = R"sql(
SELECT coalesce(extract(epoch FROM now() - min(xact_start)), 0)::float8
  FROM pg_stat_activity
 WHERE pid <> pg_backend_pid() AND (backend_xid IS NOT NULL OR backend_xmin IS NOT NULL)
)sql";

#define ORDO_DEAD_LETTER_COLUMNS                                                       \
  "id, projection, global_position, stream_id, version, event_type, error, attempts, " \
  "status, coalesce(discard_reason, ''), (extract(epoch FROM parked_at) * 1000000)::bigint"

DeadLetter DeadLetterFromRow(const pqxx::row& row) {
  DeadLetter letter;
  letter.id = row[0].as<int64_t>();
  letter.projection = row[1].as<std::string>();
  letter.global_position = row[2].as<int64_t>();
  letter.stream_id = row[3].as<std::string>();
  letter.version = row[4].as<int32_t>();
  letter.event_type = row[5].as<std::string>();
  letter.error = row[6].as<std::string>();
  letter.attempts = row[7].as<int32_t>();
  letter.status = row[8].as<std::string>();
  letter.discard_reason = row[9].as<std::string>();
  letter.parked_at = absl::FromUnixMicros(row[10].as<int64_t>());
  return letter;
}

std::vector<DeadLetter> DeadLettersFrom(const pqxx::result& rows) {
  std::vector<DeadLetter> letters;
  for (const pqxx::row& row : rows) letters.push_back(DeadLetterFromRow(row));
  return letters;
}

}  // namespace

absl::StatusOr<ProjectionsOverview> ProjectionAdmin::Overview(absl::Time deadline) {
  ORDO_ASSIGN_OR_RETURN(ConnectionPool::Lease connection, pool_.Acquire(deadline));
  return GuardPq("list projections", [&]() -> absl::StatusOr<ProjectionsOverview> {
    pqxx::nontransaction tx(*connection);
    ProjectionsOverview overview;
    for (const pqxx::row& row : tx.exec(kOverviewSql)) {
      ProjectionStatus& p = overview.projections.emplace_back();
      p.name = row[0].as<std::string>();
      p.checkpoint = LogPosition{row[1].as<uint64_t>(), row[2].as<int64_t>()};
      p.state = row[3].as<std::string>();
      p.last_error = row[4].as<std::string>();
      if (!row[5].is_null()) p.last_heartbeat = absl::FromUnixMicros(row[5].as<int64_t>());
      p.events_behind = row[6].as<int64_t>();
      p.seconds_behind = row[7].as<double>();
      p.parked = row[8].as<int64_t>();
    }
    overview.oldest_open_transaction_seconds = tx.exec1(kOldestTransactionSql)[0].as<double>();
    return overview;
  });
}

absl::StatusOr<std::vector<DeadLetter>> ProjectionAdmin::ListDeadLetters(
    const std::string& projection, bool include_resolved, absl::Time deadline) {
  ORDO_ASSIGN_OR_RETURN(ConnectionPool::Lease connection, pool_.Acquire(deadline));
  return GuardPq("list dead letters", [&]() -> absl::StatusOr<std::vector<DeadLetter>> {
    pqxx::nontransaction tx(*connection);
    return DeadLettersFrom(tx.exec_params("SELECT " ORDO_DEAD_LETTER_COLUMNS " FROM dead_letters"
                                          " WHERE ($1 = '' OR projection = $1)"
                                          "   AND ($2 OR status IN ('parked', 'replay_requested'))"
                                          " ORDER BY id",
                                          projection, include_resolved));
  });
}

absl::StatusOr<std::vector<DeadLetter>> ProjectionAdmin::RequestReplay(int64_t id,
                                                                       absl::Time deadline) {
  ORDO_ASSIGN_OR_RETURN(ConnectionPool::Lease connection, pool_.Acquire(deadline));
  return GuardPq("replay dead letter", [&]() -> absl::StatusOr<std::vector<DeadLetter>> {
    pqxx::work tx(*connection);
    pqxx::result found =
        tx.exec_params("SELECT projection, stream_id, status FROM dead_letters WHERE id = $1", id);
    if (found.empty()) return absl::NotFoundError(absl::StrCat("dead letter ", id, " not found"));
    const std::string status = found[0][2].as<std::string>();
    if (status != "parked" && status != "replay_requested") {
      return absl::FailedPreconditionError(
          absl::StrCat("dead letter ", id, " is ", status, ", not parked"));
    }
    std::vector<DeadLetter> letters = DeadLettersFrom(tx.exec_params(
        "UPDATE dead_letters SET status = 'replay_requested'"
        " WHERE projection = $1 AND stream_id = $2 AND status IN ('parked', 'replay_requested')"
        " RETURNING " ORDO_DEAD_LETTER_COLUMNS,
        found[0][0].as<std::string>(), found[0][1].as<std::string>()));
    tx.exec(absl::StrCat("NOTIFY ", kEventsChannel));
    tx.commit();
    return letters;
  });
}

absl::StatusOr<DeadLetter> ProjectionAdmin::Discard(int64_t id, const std::string& reason,
                                                    absl::Time deadline) {
  if (reason.empty()) return absl::InvalidArgumentError("reason: say why it is discarded");
  ORDO_ASSIGN_OR_RETURN(ConnectionPool::Lease connection, pool_.Acquire(deadline));
  return GuardPq("discard dead letter", [&]() -> absl::StatusOr<DeadLetter> {
    pqxx::work tx(*connection);
    pqxx::result rows = tx.exec_params(
        "UPDATE dead_letters SET status = 'discarded', discard_reason = $2, resolved_at = now()"
        " WHERE id = $1 AND status IN ('parked', 'replay_requested')"
        " RETURNING " ORDO_DEAD_LETTER_COLUMNS,
        id, reason);
    if (rows.empty()) {
      pqxx::result exists = tx.exec_params("SELECT status FROM dead_letters WHERE id = $1", id);
      if (exists.empty()) {
        return absl::NotFoundError(absl::StrCat("dead letter ", id, " not found"));
      }
      return absl::FailedPreconditionError(
          absl::StrCat("dead letter ", id, " is ", exists[0][0].as<std::string>(), ", not parked"));
    }
    tx.commit();
    return DeadLetterFromRow(rows[0]);
  });
}

absl::Status ProjectionAdmin::ResetForRebuild(const std::string& name,
                                              const std::vector<std::string>& tables,
                                              absl::Time deadline) {
  ORDO_ASSIGN_OR_RETURN(ConnectionPool::Lease connection, pool_.Acquire(deadline));
  return GuardPq("rebuild", [&]() -> absl::Status {
    pqxx::work tx(*connection);
    // The table names come from the projection's code, never from a request.
    if (!tables.empty()) tx.exec(absl::StrCat("TRUNCATE ", absl::StrJoin(tables, ", ")));
    tx.exec_params(
        "INSERT INTO projection_checkpoints (name, state) VALUES ($1, 'rebuilding')"
        " ON CONFLICT (name) DO UPDATE SET tx_id = '0', global_position = 0,"
        "   state = 'rebuilding', last_error = NULL, updated_at = now()",
        name);
    tx.exec_params(
        "UPDATE dead_letters SET status = 'discarded', discard_reason = 'superseded by rebuild',"
        "   resolved_at = now()"
        " WHERE projection = $1 AND status IN ('parked', 'replay_requested')",
        name);
    tx.exec(absl::StrCat("NOTIFY ", kEventsChannel));
    tx.commit();
    return absl::OkStatus();
  });
}

absl::StatusOr<LogPosition> ProjectionAdmin::Checkpoint(const std::string& name,
                                                        absl::Time deadline) {
  ORDO_ASSIGN_OR_RETURN(ConnectionPool::Lease connection, pool_.Acquire(deadline));
  return GuardPq("checkpoint", [&]() -> absl::StatusOr<LogPosition> {
    connection->prepare(
        "ordo_checkpoint_of",
        "SELECT tx_id, global_position FROM projection_checkpoints WHERE name = $1");
    pqxx::nontransaction tx(*connection);
    pqxx::result rows = tx.exec_prepared("ordo_checkpoint_of", name);
    if (rows.empty()) {
      return absl::NotFoundError(absl::StrCat("projection ", name, " has not started yet"));
    }
    return LogPosition{rows[0][0].as<uint64_t>(), rows[0][1].as<int64_t>()};
  });
}

absl::Status ProjectionAdmin::WaitForCheckpoint(const std::string& name, const LogPosition& target,
                                                absl::Time deadline) {
  absl::Duration pause = absl::Milliseconds(1);
  for (;;) {
    absl::StatusOr<LogPosition> checkpoint = Checkpoint(name, deadline);
    if (checkpoint.ok() && target <= *checkpoint) return absl::OkStatus();
    if (!checkpoint.ok() && !absl::IsNotFound(checkpoint.status())) return checkpoint.status();
    if (absl::Now() + pause >= deadline) {
      return absl::DeadlineExceededError(absl::StrCat(
          "consistency_token: the ", name,
          " projection has not reached this write within the deadline; retry later or with "
          "a longer deadline"));
    }
    absl::SleepFor(pause);
    pause = std::min(pause * 2, absl::Milliseconds(20));
  }
}

absl::StatusOr<std::string> ProjectionAdmin::Rebaseline(absl::Time deadline) {
  ORDO_ASSIGN_OR_RETURN(ConnectionPool::Lease connection, pool_.Acquire(deadline));
  return GuardPq("rebaseline", [&]() -> absl::StatusOr<std::string> {
    pqxx::work tx(*connection);
    pqxx::row row = tx.exec1(
        "SELECT greatest((SELECT coalesce(max(tx_id::text::bigint), 0) FROM events),"
        "                (SELECT coalesce(max(tx_id::text::bigint), 0)"
        "                   FROM projection_checkpoints)),"
        "       pg_current_xact_id()::text::bigint, ordo_tx_offset()");
    const int64_t highest_stored = row[0].as<int64_t>();
    const int64_t current = row[1].as<int64_t>();
    const int64_t offset = row[2].as<int64_t>();
    if (current + offset > highest_stored) {
      return absl::StrCat("nothing to do: new transaction ids (", current + offset,
                          ") already sort after every stored one (", highest_stored, ")");
    }
    // Headroom for transactions that start while services come back.
    const int64_t new_offset = highest_stored - current + 1000000;
    tx.exec(absl::StrCat(
        "CREATE OR REPLACE FUNCTION ordo_tx_offset() RETURNS bigint LANGUAGE sql IMMUTABLE "
        "PARALLEL SAFE AS 'SELECT ",
        new_offset, "::bigint'"));
    tx.commit();
    return absl::StrCat("transaction-id offset set to ", new_offset, " (highest stored id ",
                        highest_stored, ", current ", current,
                        "); restart every Ordo service so no session keeps the old offset");
  });
}

}  // namespace ordo::store
