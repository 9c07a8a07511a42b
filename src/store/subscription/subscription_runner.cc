// Runs one subscriber: lease, gap-free filtered batches with compare-and-set checkpoints,
// wake-ups, retry and park by stream, replays, heartbeat.
#include "store/subscription/subscription_runner.h"

#include <algorithm>
#include <pqxx/nontransaction>
#include <pqxx/transaction>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/log.h"
#include "common/metrics.h"
#include "common/status_macros.h"
#include "store/pg/pg_status.h"
#include "store/subscription/dead_letter_store.h"
#include "store/subscription/event_tail.h"

namespace ordo::store {
namespace {

constexpr absl::Duration kHeartbeatEvery = absl::Seconds(1);

std::string Describe(const RecordedEvent& e) {
  return absl::StrCat(e.stream_id, "@", e.version, " ", e.event_type, " (position ",
                      e.position.global_position, ")");
}

std::vector<int64_t> PositionsOf(const std::vector<RecordedEvent>& events) {
  std::vector<int64_t> positions;
  positions.reserve(events.size());
  for (const RecordedEvent& e : events) positions.push_back(e.position.global_position);
  return positions;
}

RetryOptions RetryOptionsFrom(const SubscriptionRunnerOptions& options) {
  return RetryOptions{options.batch_size, options.max_attempts, options.initial_backoff,
                      options.max_backoff};
}

}  // namespace

SubscriptionRunner::SubscriptionRunner(std::string connection_string, Subscriber& subscriber,
                                       SubscriptionRunnerOptions options)
    : connection_string_(std::move(connection_string)),
      subscriber_(subscriber),
      filter_(subscriber.filter()),
      options_(options),
      retry_(RetryOptionsFrom(options)),
      active_gauge_(AddGauge("ordo_subscriber_active",
                             "1 while this process's runner holds the subscriber's lease.",
                             {{"subscriber", subscriber.name()}})),
      handled_(AddCounter("ordo_subscriber_events_handled_total",
                          "Events this process's runner handled and committed.",
                          {{"subscriber", subscriber.name()}})),
      batch_seconds_(AddHistogram("ordo_subscriber_batch_seconds",
                                  "Time to read, handle and commit one batch with events.",
                                  {{"subscriber", subscriber.name()}}, LatencyBuckets())) {}

SubscriptionRunner::~SubscriptionRunner() { Stop(); }

void SubscriptionRunner::Start() {
  thread_ = std::thread([this] { Run(); });
}

void SubscriptionRunner::Stop() {
  stop_.Raise();
  if (thread_.joinable()) thread_.join();
}

void SubscriptionRunner::Log(const std::string& message) const {
  LogLine(absl::StrCat("subscriber ", subscriber_.name(), ": ", message));
}

void SubscriptionRunner::Run() {
  std::string last_error;
  for (;;) {
    // A standby waits in the lock itself, so it takes over the moment the holder's session
    // ends, and looks up from the wait every standby_retry to see whether to stop.
    absl::StatusOr<std::unique_ptr<LeaderLease>> lease = LeaderLease::Acquire(
        connection_string_, subscriber_.name(), filter_, options_.standby_retry);
    if (lease.ok() && *lease != nullptr) {
      absl::Status led = GuardPq(subscriber_.name(), [&]() -> absl::Status {
        Lead(**lease);
        return absl::OkStatus();
      });
      if (!led.ok()) lease = led;
    }
    if (active_.exchange(false)) {
      active_gauge_.Set(0);
      Log("standing by");
    }
    if (!lease.ok() && lease.status().ToString() != last_error) {
      last_error = lease.status().ToString();
      Log(absl::StrCat(lease.status().message(), "; retrying"));
    }
    // Waited in the lock already; after an error, wait before trying again.
    if (stop_.WaitFor(lease.ok() ? absl::ZeroDuration() : options_.standby_retry)) return;
  }
}

void SubscriptionRunner::Lead(LeaderLease& lease) {
  pqxx::connection connection(connection_string_);
  {
    pqxx::nontransaction tx(connection);
    // The subscriber's effects and its checkpoint commit together, and the log is durable:
    // a crash can only lose the newest batches whole, which are then handled again. So
    // these commits need not wait for the WAL flush.
    tx.exec(absl::StrCat("SET synchronous_commit = off; ", kTailSessionSql));
    if (subscriber_.start() == SubscriberStart::kNow) {
      checkpoint_store::EnsureAtHead(tx, subscriber_.name());
    } else {
      checkpoint_store::Ensure(tx, subscriber_.name());
    }
  }
  TailPrefetch prefetch(connection_string_, filter_);
  active_ = true;
  active_gauge_.Set(1);
  Log("active");
  retry_.Reset();
  skipped_.reset();
  known_checkpoint_.reset();
  next_replay_check_ = absl::InfinitePast();

  for (;;) {
    if (stop_.raised()) return;
    if (!lease.CheckHeld().ok()) return;
    if (absl::Now() >= next_replay_check_) {
      next_replay_check_ = absl::Now() + options_.poll_interval;
      absl::Status replayed = ProcessReplays(connection);
      if (absl::IsUnavailable(replayed)) return;
      if (!replayed.ok()) Log(std::string(replayed.message()));
    }
    absl::StatusOr<bool> progressed = Step(connection, prefetch);
    if (absl::IsUnavailable(progressed.status())) {  // reconnect from standby
      Log(std::string(progressed.status().message()));
      return;
    }
    if (!progressed.ok()) {
      Log(std::string(progressed.status().message()));
      if (stop_.WaitFor(options_.initial_backoff)) return;
      continue;
    }
    if (*progressed) continue;
    // Until events of its stream types are appended, or the poll is due.
    const absl::Time poll_at = absl::Now() + options_.poll_interval;
    while (!lease.AwaitWakeup(poll_at - absl::Now()) && absl::Now() < poll_at) {
    }
    const absl::Time not_before = last_batch_started_ + options_.min_batch_interval;
    if (absl::Now() < not_before && stop_.WaitFor(not_before - absl::Now())) return;
  }
}

absl::StatusOr<bool> SubscriptionRunner::Peek(pqxx::connection& connection) {
  return GuardPq("peek", [&]() -> absl::StatusOr<bool> {
    pqxx::nontransaction tx(connection);
    TailBatch batch = ReadTail(tx, skipped_->to, options_.batch_size, filter_);
    if (!batch.events.empty() || batch.full) {
      peeked_ = std::move(batch);
      return true;
    }
    if (batch.scanned != 0) skipped_->to = batch.scanned_to;
    return false;
  });
}

absl::StatusOr<bool> SubscriptionRunner::Step(pqxx::connection& connection,
                                              TailPrefetch& prefetch) {
  if (skipped_ && absl::Now() < next_heartbeat_ && retry_.next_limit() == options_.batch_size) {
    peeked_.reset();
    ORDO_ASSIGN_OR_RETURN(bool handle, Peek(connection));
    if (!handle) return false;
  }
  const std::string& name = subscriber_.name();
  Checkpoint checkpoint;
  const absl::Time started = absl::Now();
  TailBatch batch;
  HandleResult handled = HandleResult::Ok();
  absl::StatusOr<bool> stepped = GuardPq("batch", [&]() -> absl::StatusOr<bool> {
    pqxx::work tx(connection);
    // The row as this runner's last batch left it, else as stored. A stale memory (another
    // runner moved the row) costs one batch: the compare-and-set below refuses it.
    if (known_checkpoint_) {
      checkpoint = *std::exchange(known_checkpoint_, std::nullopt);
    } else {
      ORDO_ASSIGN_OR_RETURN(checkpoint, checkpoint_store::Read(tx, name));
    }
    if (checkpoint.rebuild_requested) {
      CarryOutRebuildRequest(tx);
      return true;
    }
    const bool heartbeat_due = absl::Now() >= next_heartbeat_;
    const int limit = retry_.next_limit();
    if (skipped_ && !(skipped_->from == checkpoint.position)) skipped_.reset();
    const LogPosition read_from = skipped_ ? skipped_->to : checkpoint.position;
    if (checkpoint.state != CheckpointState::kFailed) {
      std::optional<TailBatch> prefetched = prefetch.Take(read_from, limit);
      if (!prefetched && peeked_ && skipped_ && limit == options_.batch_size) {
        prefetched = std::move(peeked_);  // read from read_from (skipped_->to) just before
      }
      peeked_.reset();
      batch = prefetched ? *std::move(prefetched) : ReadTail(tx, read_from, limit, filter_);
      // A full batch: more are likely waiting (a catch-up), so read the next batch while
      // this one is handled. It is used only if this batch commits as read.
      if (limit == options_.batch_size && batch.full) {
        prefetch.Start(batch.scanned_to, limit);
      }
    }
    // Only events this subscriber does not want: the checkpoint may stay behind them for a
    // while (they need nothing from it). Moving it once per heartbeat instead of on every
    // wake-up spares the database a write for every batch other writers commit.
    if (batch.events.empty() && !batch.full && !heartbeat_due) {
      if (batch.scanned != 0) skipped_ = Skipped{checkpoint.position, batch.scanned_to};
      tx.commit();
      known_checkpoint_ = checkpoint;  // unchanged
      return false;
    }
    if (batch.scanned == 0) {
      if (checkpoint.state == CheckpointState::kRebuilding) {
        checkpoint_store::FinishRebuild(tx, name);
      }
      if (heartbeat_due) {
        if (skipped_) {  // past the events skipped since the checkpoint last moved
          ORDO_RETURN_IF_ERROR(
              checkpoint_store::Advance(tx, name, checkpoint.position, skipped_->to).status());
        } else {
          checkpoint_store::Heartbeat(tx, name);
        }
        next_heartbeat_ = absl::Now() + kHeartbeatEvery;
      }
      tx.commit();
      return false;
    }

    // Events of parked streams are parked behind their stream's first parked event.
    std::vector<RecordedEvent> applicable;
    std::vector<size_t> index_in_batch;
    std::vector<const RecordedEvent*> parked_behind;
    for (size_t i = 0; i < batch.events.size(); ++i) {
      if (parked_streams_.count(batch.events[i].stream_id) != 0) {
        parked_behind.push_back(&batch.events[i]);
      } else {
        applicable.push_back(batch.events[i]);
        index_in_batch.push_back(i);
      }
    }
    if (!applicable.empty()) handled = subscriber_.Handle(applicable, tx);
    if (!handled.ok()) {
      if (handled.failed_index && *handled.failed_index < applicable.size()) {
        handled.failed_index = index_in_batch[*handled.failed_index];
      } else {
        handled.failed_index.reset();
      }
      return true;  // `tx` rolls back; handled below, outside it
    }
    for (const RecordedEvent* e : parked_behind) {
      dead_letter_store::Park(tx, name, *e,
                              "parked behind an earlier parked event of the same stream", 0);
    }
    ORDO_ASSIGN_OR_RETURN(
        Checkpoint advanced,
        checkpoint_store::Advance(tx, name, checkpoint.position, batch.scanned_to));
    tx.commit();
    known_checkpoint_ = advanced;
    if (!applicable.empty()) {
      last_batch_started_ = started;
      subscriber_.AfterCommit();
      handled_.Increment(static_cast<double>(applicable.size()));
      batch_seconds_.Observe(absl::ToDoubleSeconds(absl::Now() - started));
    }
    if (unavailable_backoff_ != absl::ZeroDuration()) {
      unavailable_backoff_ = absl::ZeroDuration();
      unavailable_error_.clear();
      Log("recovered");
    }
    next_heartbeat_ = absl::Now() + kHeartbeatEvery;
    retry_.OnCommitted(PositionsOf(batch.events));
    // A short batch drained the tail: anything committed since has sent a notification.
    return batch.full;
  });
  if (!stepped.ok() || handled.ok()) return stepped;
  ORDO_RETURN_IF_ERROR(HandleFailure(connection, checkpoint, batch.events, handled));
  return true;
}

absl::Status SubscriptionRunner::HandleFailure(pqxx::connection& connection,
                                               const Checkpoint& checkpoint,
                                               const std::vector<RecordedEvent>& events,
                                               const HandleResult& result) {
  // Something the subscriber needs is out of reach (its broker, the database): not the
  // event's fault, so nothing is parked; the batch is tried again after a growing pause (a
  // broken database connection fails the next batch's transaction and the runner reconnects).
  if (absl::IsUnavailable(result.status)) {
    unavailable_backoff_ =
        std::min(options_.max_backoff, unavailable_backoff_ == absl::ZeroDuration()
                                           ? options_.initial_backoff
                                           : 2 * unavailable_backoff_);
    const std::string error(result.status.message());
    if (error != unavailable_error_) {
      unavailable_error_ = error;
      Log(absl::StrCat(error, "; retrying"));
    }
    stop_.WaitFor(unavailable_backoff_);
    return absl::OkStatus();
  }
  const RetryDecision decision = retry_.OnFailure(PositionsOf(events), result.failed_index);
  switch (decision.action) {
    case RetryDecision::Action::kNarrow:
      return absl::OkStatus();
    case RetryDecision::Action::kRetry:
      stop_.WaitFor(decision.backoff);
      return absl::OkStatus();
    case RetryDecision::Action::kPark:
      break;
  }
  const RecordedEvent& poison = events[decision.index];
  const std::string message = absl::StrCat(Describe(poison), ": ", result.status.message());
  const std::string& name = subscriber_.name();
  return GuardPq("park", [&]() -> absl::Status {
    pqxx::work tx(connection);
    if (checkpoint.state == CheckpointState::kRebuilding) {
      checkpoint_store::Fail(tx, name, absl::StrCat("rebuild stopped at ", message));
      tx.commit();
      Log(absl::StrCat("rebuild stopped at ", message));
      return absl::OkStatus();
    }
    dead_letter_store::Park(tx, name, poison, message, decision.attempts);
    ORDO_RETURN_IF_ERROR(
        checkpoint_store::Advance(tx, name, checkpoint.position, poison.position).status());
    tx.commit();
    parked_streams_.insert(poison.stream_id);
    Log(absl::StrCat("parked ", message, " after ", decision.attempts, " attempts"));
    return absl::OkStatus();
  });
}

void SubscriptionRunner::CarryOutRebuildRequest(pqxx::work& tx) {
  const std::string& name = subscriber_.name();
  if (!subscriber_.ResetForRebuild(tx)) {
    checkpoint_store::DropRebuildRequest(tx, name);
    tx.commit();
    Log("a rebuild was requested, but this subscriber cannot be rebuilt: request dropped");
    return;
  }
  checkpoint_store::ResetForRebuild(tx, name);
  dead_letter_store::DiscardAllOpen(tx, name, "superseded by rebuild");
  tx.commit();
  Log("rebuilding from the first event, as requested");
  // What was parked or failing before no longer holds. Rebuilds are carried out only
  // here, so no checkpoint moves back behind the runner's back.
  parked_streams_.clear();
  retry_.Reset();
  skipped_.reset();
  next_replay_check_ = absl::InfinitePast();
}

absl::Status SubscriptionRunner::ProcessReplays(pqxx::connection& connection) {
  const std::string& name = subscriber_.name();
  std::vector<StreamReplay> replays;
  ORDO_RETURN_IF_ERROR(GuardPq("replay", [&]() -> absl::Status {
    pqxx::nontransaction tx(connection);
    parked_streams_ = dead_letter_store::OpenStreams(tx, name);
    replays = dead_letter_store::RequestedReplays(tx, name);
    return absl::OkStatus();
  }));
  for (const StreamReplay& replay : replays) {
    ORDO_RETURN_IF_ERROR(GuardPq("replay", [&]() -> absl::Status {
      HandleResult handled = HandleResult::Ok();
      {
        pqxx::work tx(connection);
        handled = subscriber_.Handle(replay.events, tx);
        if (handled.ok()) {
          dead_letter_store::MarkReplayed(tx, replay.ids);
          tx.commit();
          parked_streams_.erase(replay.stream_id);
          Log(absl::StrCat("replayed ", replay.events.size(), " parked events of stream ",
                           replay.stream_id));
          return absl::OkStatus();
        }
      }
      pqxx::work tx(connection);
      dead_letter_store::MarkReplayFailed(
          tx, replay.ids, absl::StrCat("replay failed: ", handled.status.message()));
      tx.commit();
      Log(absl::StrCat("replay of stream ", replay.stream_id,
                       " failed: ", handled.status.message()));
      return absl::OkStatus();
    }));
  }
  return absl::OkStatus();
}

}  // namespace ordo::store
