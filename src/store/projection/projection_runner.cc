// Runs one projection: leader lock, gap-free batches with compare-and-set checkpoints,
// LISTEN wake-ups with a poll, poison events parked by stream, replays.
#include "store/projection/projection_runner.h"

#include <pqxx/nontransaction>
#include <pqxx/notification>
#include <pqxx/result>
#include <pqxx/transaction>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/log.h"
#include "common/status_macros.h"
#include "store/log/change_notifier.h"
#include "store/log/event_rows.h"
#include "store/subscription/event_tail.h"
#include "store/pg/pg_status.h"
#include "store/pg/sql_array.h"

namespace ordo::store {
namespace {

// First key of every projection lock ("ordo"); the second is hashtext(name).
constexpr char kTryLockSql[] = "SELECT pg_try_advisory_lock(1869771887, hashtext($1))";

constexpr char kEnsureCheckpointSql[] =
    "INSERT INTO projection_checkpoints (name) VALUES ($1) ON CONFLICT (name) DO NOTHING";

constexpr char kReadCheckpoint[] = "ordo_read_checkpoint";
constexpr char kReadCheckpointSql[] =
    "SELECT tx_id, global_position, state FROM projection_checkpoints WHERE name = $1";

// Compare-and-set: anything but one row means another runner moved it; the batch aborts.
constexpr char kAdvanceCheckpoint[] = "ordo_advance_checkpoint";
constexpr char kAdvanceCheckpointSql[] =
    "UPDATE projection_checkpoints"
    "   SET tx_id = $2::xid8, global_position = $3, heartbeat_at = now(), updated_at = now()"
    " WHERE name = $1 AND tx_id = $4::xid8 AND global_position = $5";

constexpr char kHeartbeat[] = "ordo_projection_heartbeat";
constexpr char kHeartbeatSql[] =
    "UPDATE projection_checkpoints SET heartbeat_at = now() WHERE name = $1";

constexpr char kFinishRebuildSql[] =
    "UPDATE projection_checkpoints SET state = 'running', updated_at = now()"
    " WHERE name = $1 AND state = 'rebuilding'";

constexpr char kFailRebuildSql[] =
    "UPDATE projection_checkpoints SET state = 'failed', last_error = $2, updated_at = now()"
    " WHERE name = $1";

constexpr char kParkSql[] =
    "INSERT INTO dead_letters (projection, global_position, stream_id, version, event_type,"
    "                          error, attempts)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7)"
    " ON CONFLICT (projection, global_position) DO UPDATE"
    "   SET status = 'parked', error = EXCLUDED.error,"
    "       attempts = dead_letters.attempts + EXCLUDED.attempts,"
    "       parked_at = now(), resolved_at = NULL";

constexpr char kParkedStreamsSql[] =
    "SELECT DISTINCT stream_id FROM dead_letters"
    " WHERE projection = $1 AND status IN ('parked', 'replay_requested')";

// Every open dead letter of each stream with a replay request, in stream order.
constexpr char kReplayEventsSql[] =
    "SELECT e.*, d.id FROM dead_letters d"
    " CROSS JOIN LATERAL (SELECT " ORDO_EVENT_COLUMNS
    "   FROM events WHERE events.global_position = d.global_position) e"
    " WHERE d.projection = $1 AND d.status IN ('parked', 'replay_requested')"
    "   AND d.stream_id IN (SELECT stream_id FROM dead_letters"
    "                        WHERE projection = $1 AND status = 'replay_requested')"
    " ORDER BY d.stream_id, e.version";

constexpr char kMarkReplayedSql[] =
    "UPDATE dead_letters SET status = 'replayed', resolved_at = now()"
    " WHERE id = ANY($1::bigint[])";

constexpr char kReplayFailedSql[] =
    "UPDATE dead_letters SET status = 'parked', attempts = attempts + 1, error = $2"
    " WHERE id = ANY($1::bigint[])";

constexpr absl::Duration kHeartbeatEvery = absl::Seconds(1);

std::string Describe(const RecordedEvent& e) {
  return absl::StrCat(e.stream_id, "@", e.version, " ", e.event_type, " (position ",
                      e.position.global_position, ")");
}

}  // namespace

ProjectionRunner::ProjectionRunner(std::string connection_string, Projection& projection,
                                   ProjectionRunnerOptions options)
    : connection_string_(std::move(connection_string)),
      projection_(projection),
      options_(options),
      next_limit_(options.batch_size) {}

ProjectionRunner::~ProjectionRunner() { Stop(); }

void ProjectionRunner::Start() {
  thread_ = std::thread([this] { Run(); });
}

void ProjectionRunner::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

bool ProjectionRunner::WaitForStop(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(&stopping_), timeout);
  return stopping_;
}

void ProjectionRunner::Run() {
  const std::string context = absl::StrCat("projection ", projection_.name());
  std::string last_error;
  for (;;) {
    absl::Status status = GuardPq(context, [&]() -> absl::Status {
      pqxx::connection lock_connection(connection_string_);
      bool locked = false;
      {
        pqxx::nontransaction tx(lock_connection);
        locked = tx.exec_params1(kTryLockSql, projection_.name())[0].as<bool>();
      }
      if (locked) Lead(lock_connection);
      return absl::OkStatus();
    });
    if (active_.exchange(false)) LogLine(absl::StrCat(context, ": standing by"));
    if (!status.ok() && status.ToString() != last_error) {
      last_error = status.ToString();
      LogLine(absl::StrCat(context, ": ", status.message(), "; retrying"));
    }
    if (WaitForStop(options_.standby_retry)) return;
  }
}

void ProjectionRunner::Lead(pqxx::connection& lock_connection) {
  // Wakes await_notification(); the work happens in the loop below.
  struct Wakeup final : pqxx::notification_receiver {
    using notification_receiver::notification_receiver;
    void operator()(const std::string&, int) override {}
  } wakeup(lock_connection, kEventsChannel);

  pqxx::connection connection(connection_string_);
  {
    pqxx::nontransaction tx(connection);
    // Read model and checkpoint commit together, and the log is durable: a crash can only
    // lose the newest batches whole, which are then applied again. So these commits need
    // not wait for the WAL flush.
    tx.exec(absl::StrCat("SET synchronous_commit = off; ", kTailSessionSql));
    tx.exec_params(kEnsureCheckpointSql, projection_.name());
  }
  TailPrefetch prefetch(connection_string_);
  active_ = true;
  LogLine(absl::StrCat("projection ", projection_.name(), ": active"));
  next_limit_ = options_.batch_size;
  last_seen_ = LogPosition{};
  next_replay_check_ = absl::InfinitePast();
  attempts_.clear();

  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
    }
    lock_connection.get_notifs();  // throws when the lock's session is gone
    if (absl::Now() >= next_replay_check_) {
      next_replay_check_ = absl::Now() + options_.poll_interval;
      absl::Status replayed = ProcessReplays(connection);
      if (absl::IsUnavailable(replayed)) return;
      if (!replayed.ok())
        LogLine(absl::StrCat("projection ", projection_.name(), ": ", replayed.message()));
    }
    absl::StatusOr<bool> progressed = Step(connection, prefetch);
    if (absl::IsUnavailable(progressed.status())) return;  // reconnect from standby
    if (!progressed.ok()) {
      LogLine(absl::StrCat("projection ", projection_.name(), ": ", progressed.status().message()));
      if (WaitForStop(options_.initial_backoff)) return;
      continue;
    }
    if (*progressed) continue;
    lock_connection.await_notification(0, absl::ToInt64Microseconds(options_.poll_interval));
  }
}

absl::StatusOr<bool> ProjectionRunner::Step(pqxx::connection& connection, TailPrefetch& prefetch) {
  connection.prepare(kReadCheckpoint, kReadCheckpointSql);
  connection.prepare(kAdvanceCheckpoint, kAdvanceCheckpointSql);
  connection.prepare(kHeartbeat, kHeartbeatSql);
  Checkpoint checkpoint;
  std::vector<RecordedEvent> events;
  size_t failed = 0;
  absl::Status applied;
  absl::StatusOr<bool> stepped = GuardPq("batch", [&]() -> absl::StatusOr<bool> {
    pqxx::work tx(connection);
    pqxx::row row = tx.exec_prepared1(kReadCheckpoint, projection_.name());
    checkpoint.position = LogPosition{row[0].as<uint64_t>(), row[1].as<int64_t>()};
    checkpoint.state = row[2].as<std::string>();
    if (checkpoint.position < last_seen_) {
      // Reset by a rebuild: what was parked or failing before no longer holds.
      next_replay_check_ = absl::InfinitePast();
      attempts_.clear();
      next_limit_ = options_.batch_size;
    }
    last_seen_ = checkpoint.position;
    const bool heartbeat_due = absl::Now() >= next_heartbeat_;
    const int limit = next_limit_;
    if (checkpoint.state != "failed") {
      std::optional<std::vector<RecordedEvent>> prefetched =
          prefetch.Take(checkpoint.position, limit);
      events = prefetched ? *std::move(prefetched) : ReadTail(tx, checkpoint.position, limit);
      // A full batch: more are likely waiting (a catch-up), so read the next batch while
      // this one is applied. It is used only if this batch commits as read.
      if (limit == options_.batch_size && events.size() == static_cast<size_t>(limit)) {
        prefetch.Start(events.back().position, limit);
      }
    }
    if (events.empty()) {
      if (checkpoint.state == "rebuilding") tx.exec_params(kFinishRebuildSql, projection_.name());
      if (heartbeat_due) {
        tx.exec_prepared(kHeartbeat, projection_.name());
        next_heartbeat_ = absl::Now() + kHeartbeatEvery;
      }
      tx.commit();
      return false;
    }

    // Events of parked streams are parked behind their stream's first parked event.
    std::vector<RecordedEvent> applicable;
    std::vector<size_t> index_in_batch;
    std::vector<const RecordedEvent*> parked_behind;
    for (size_t i = 0; i < events.size(); ++i) {
      if (parked_streams_.count(events[i].stream_id) != 0) {
        parked_behind.push_back(&events[i]);
      } else {
        applicable.push_back(events[i]);
        index_in_batch.push_back(i);
      }
    }
    size_t failed_applicable = applicable.size();
    applied = applicable.empty() ? absl::OkStatus()
                                 : projection_.Apply(applicable, tx, &failed_applicable);
    if (!applied.ok()) {
      failed =
          failed_applicable < applicable.size() ? index_in_batch[failed_applicable] : events.size();
      return true;  // `tx` rolls back; handled below, outside it
    }
    for (const RecordedEvent* e : parked_behind) {
      tx.exec_params(kParkSql, projection_.name(), e->position.global_position, e->stream_id,
                     e->version, e->event_type,
                     "parked behind an earlier parked event of the same stream", 0);
    }
    const LogPosition& last = events.back().position;
    pqxx::result moved = tx.exec_prepared(
        kAdvanceCheckpoint, projection_.name(), std::to_string(last.tx_id), last.global_position,
        std::to_string(checkpoint.position.tx_id), checkpoint.position.global_position);
    if (moved.affected_rows() != 1) {
      return absl::AbortedError("checkpoint moved by another runner; batch rolled back");
    }
    tx.commit();
    last_seen_ = last;
    next_heartbeat_ = absl::Now() + kHeartbeatEvery;
    next_limit_ = options_.batch_size;
    for (const RecordedEvent& e : events) {
      if (attempts_.empty()) break;
      attempts_.erase(e.position.global_position);
    }
    // A short batch drained the tail: anything committed since has sent a notification.
    return events.size() >= static_cast<size_t>(limit);
  });
  if (!stepped.ok() || applied.ok()) return stepped;
  absl::Status handled = HandleFailure(connection, checkpoint, events, failed, applied);
  if (!handled.ok()) return handled;
  return true;
}

absl::Status ProjectionRunner::HandleFailure(pqxx::connection& connection,
                                             const Checkpoint& checkpoint,
                                             const std::vector<RecordedEvent>& events,
                                             size_t failed, const absl::Status& error) {
  // The database, not the event: retry the batch once it is back.
  if (absl::IsUnavailable(error)) return error;
  if (failed == events.size()) {
    if (events.size() > 1) {
      next_limit_ = 1;  // find the event that fails
      return absl::OkStatus();
    }
    failed = 0;
  }
  const RecordedEvent& poison = events[failed];
  int& attempts = attempts_[poison.position.global_position];
  ++attempts;
  if (failed > 0) {
    next_limit_ = static_cast<int>(failed);  // apply the good prefix first
    return absl::OkStatus();
  }
  if (attempts < options_.max_attempts) {
    next_limit_ = 1;
    absl::Duration backoff = options_.initial_backoff * (1 << std::min(attempts - 1, 16));
    WaitForStop(std::min(backoff, options_.max_backoff));
    return absl::OkStatus();
  }
  const int total_attempts = attempts;
  attempts_.erase(poison.position.global_position);
  next_limit_ = options_.batch_size;
  const std::string message = absl::StrCat(Describe(poison), ": ", error.message());
  return GuardPq("park", [&]() -> absl::Status {
    pqxx::work tx(connection);
    if (checkpoint.state == "rebuilding") {
      tx.exec_params(kFailRebuildSql, projection_.name(),
                     absl::StrCat("rebuild stopped at ", message));
      tx.commit();
      LogLine(absl::StrCat("projection ", projection_.name(), ": rebuild stopped at ", message));
      return absl::OkStatus();
    }
    tx.exec_params(kParkSql, projection_.name(), poison.position.global_position, poison.stream_id,
                   poison.version, poison.event_type, message, total_attempts);
    pqxx::result moved = tx.exec_prepared(
        kAdvanceCheckpoint, projection_.name(), std::to_string(poison.position.tx_id),
        poison.position.global_position, std::to_string(checkpoint.position.tx_id),
        checkpoint.position.global_position);
    if (moved.affected_rows() != 1) return absl::AbortedError("checkpoint moved while parking");
    tx.commit();
    parked_streams_.insert(poison.stream_id);
    last_seen_ = poison.position;
    LogLine(absl::StrCat("projection ", projection_.name(), ": parked ", message, " after ",
                         total_attempts, " attempts"));
    return absl::OkStatus();
  });
}

absl::Status ProjectionRunner::RefreshParkedStreams(pqxx::connection& connection) {
  return GuardPq("parked streams", [&]() -> absl::Status {
    pqxx::nontransaction tx(connection);
    std::set<std::string> parked;
    for (const pqxx::row& row : tx.exec_params(kParkedStreamsSql, projection_.name())) {
      parked.insert(row[0].as<std::string>());
    }
    parked_streams_.swap(parked);
    return absl::OkStatus();
  });
}

absl::Status ProjectionRunner::ProcessReplays(pqxx::connection& connection) {
  ORDO_RETURN_IF_ERROR(RefreshParkedStreams(connection));
  struct StreamReplay {
    std::vector<RecordedEvent> events;
    std::vector<int64_t> ids;
  };
  std::map<std::string, StreamReplay> replays;
  ORDO_RETURN_IF_ERROR(GuardPq("replay", [&]() -> absl::Status {
    pqxx::nontransaction tx(connection);
    for (const pqxx::row& row : tx.exec_params(kReplayEventsSql, projection_.name())) {
      RecordedEvent event = EventFromRow(row);
      StreamReplay& replay = replays[event.stream_id];
      replay.ids.push_back(row[11].as<int64_t>());
      replay.events.push_back(std::move(event));
    }
    return absl::OkStatus();
  }));
  for (auto& [stream_id, replay] : replays) {
    ORDO_RETURN_IF_ERROR(GuardPq("replay", [&]() -> absl::Status {
      size_t failed = replay.events.size();
      absl::Status applied;
      {
        pqxx::work tx(connection);
        applied = projection_.Apply(replay.events, tx, &failed);
        if (applied.ok()) {
          tx.exec_params(kMarkReplayedSql, IntArrayLiteral(replay.ids));
          tx.commit();
          parked_streams_.erase(stream_id);
          LogLine(absl::StrCat("projection ", projection_.name(), ": replayed ",
                               replay.events.size(), " parked events of stream ", stream_id));
          return absl::OkStatus();
        }
      }
      pqxx::work tx(connection);
      tx.exec_params(kReplayFailedSql, IntArrayLiteral(replay.ids),
                     absl::StrCat("replay failed: ", applied.message()));
      tx.commit();
      LogLine(absl::StrCat("projection ", projection_.name(), ": replay of stream ", stream_id,
                           " failed: ", applied.message()));
      return absl::OkStatus();
    }));
  }
  return absl::OkStatus();
}

}  // namespace ordo::store
