// Operating projections from outside their runners.
#include "store/projection/projection_admin.h"

#include <algorithm>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status_macros.h"
#include "store/log/change_notifier.h"
#include "store/pg/pg_status.h"

namespace ordo::store {
namespace {

constexpr char kOverviewSql[] = R"sql(
SELECT c.name, c.tx_id, c.global_position, c.state, coalesce(c.last_error, ''),
       (extract(epoch FROM c.heartbeat_at) * 1000000)::bigint,
       behind.events,
       coalesce(extract(epoch FROM now() - behind.oldest), 0)::float8,
       parked.letters, parked.streams, c.rebuild_requested_at IS NOT NULL
  FROM projection_checkpoints c
 CROSS JOIN LATERAL (
       SELECT count(*) AS events, min(e.recorded_at) AS oldest FROM events e
        WHERE (e.tx_id, e.global_position) > (c.tx_id, c.global_position)) behind
 CROSS JOIN LATERAL (
       SELECT count(*) AS letters, count(DISTINCT d.stream_id) AS streams FROM dead_letters d
        WHERE d.projection = c.name AND d.status IN ('parked', 'replay_requested')) parked
 ORDER BY c.name
)sql";

// clock_timestamp(), not now(): a transaction that began after this statement's own
// transaction would otherwise have a negative age.
constexpr char kOldestTransactionSql[] = R"sql(
SELECT greatest(coalesce(extract(epoch FROM clock_timestamp() - min(xact_start)), 0), 0)::float8
  FROM pg_stat_activity
 WHERE pid <> pg_backend_pid() AND (backend_xid IS NOT NULL OR backend_xmin IS NOT NULL)
)sql";

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
      p.state =
          CheckpointStateFromSql(row[3].as<std::string>()).value_or(CheckpointState::kRunning);
      p.last_error = row[4].as<std::string>();
      if (!row[5].is_null()) p.last_heartbeat = absl::FromUnixMicros(row[5].as<int64_t>());
      p.events_behind = row[6].as<int64_t>();
      p.seconds_behind = row[7].as<double>();
      p.parked = row[8].as<int64_t>();
      p.parked_streams = row[9].as<int64_t>();
      p.rebuild_requested = row[10].as<bool>();
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
    return dead_letter_store::List(tx, projection, include_resolved);
  });
}

absl::StatusOr<std::vector<DeadLetter>> ProjectionAdmin::RequestReplay(int64_t id,
                                                                       absl::Time deadline) {
  ORDO_ASSIGN_OR_RETURN(ConnectionPool::Lease connection, pool_.Acquire(deadline));
  return GuardPq("replay dead letter", [&]() -> absl::StatusOr<std::vector<DeadLetter>> {
    pqxx::work tx(*connection);
    ORDO_ASSIGN_OR_RETURN(std::vector<DeadLetter> letters,
                          dead_letter_store::RequestReplay(tx, id));
    tx.exec(absl::StrCat("NOTIFY ", kEventsChannel));  // wakes the runner
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
    ORDO_ASSIGN_OR_RETURN(DeadLetter letter, dead_letter_store::Discard(tx, id, reason));
    tx.commit();
    return letter;
  });
}

absl::Status ProjectionAdmin::RequestRebuild(const std::string& name, absl::Time deadline) {
  ORDO_ASSIGN_OR_RETURN(ConnectionPool::Lease connection, pool_.Acquire(deadline));
  return GuardPq("rebuild", [&]() -> absl::Status {
    pqxx::work tx(*connection);
    if (!checkpoint_store::RequestRebuild(tx, name)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "name: ", name, " has never run; it builds from the first event when it first starts"));
    }
    tx.exec(absl::StrCat("NOTIFY ", kEventsChannel));  // wakes the runner
    tx.commit();
    return absl::OkStatus();
  });
}

absl::StatusOr<LogPosition> ProjectionAdmin::Checkpoint(const std::string& name,
                                                        absl::Time deadline) {
  ORDO_ASSIGN_OR_RETURN(ConnectionPool::Lease connection, pool_.Acquire(deadline));
  return GuardPq("checkpoint", [&]() -> absl::StatusOr<LogPosition> {
    pqxx::nontransaction tx(*connection);
    ORDO_ASSIGN_OR_RETURN(store::Checkpoint checkpoint, checkpoint_store::Read(tx, name));
    return checkpoint.position;
  });
}

absl::Status ProjectionAdmin::WaitForToken(const std::string& name, const std::string& token,
                                           absl::Time deadline) {
  if (token.empty()) return absl::OkStatus();
  ORDO_ASSIGN_OR_RETURN(LogPosition target, DecodeConsistencyToken(token));
  return WaitForCheckpoint(name, target, deadline);
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
