// The one command pipeline (DESIGN §9), generic over an aggregate's traits: rebuild the
// aggregate (from the cache of committed state, else from its newest snapshot and the
// events after it), decide, append with optimistic concurrency and the request's
// idempotency record in the same transaction (group commit is the store's), write a
// snapshot after commit when the stream has grown by the traits' interval. Conflicts
// without an expected version are retried (reload, decide again); commands on one stream
// in this process take turns. Handle blocks; HandleAsync never blocks its caller and
// decides a cached aggregate's command on the calling thread. Thread-safe; the store must
// outlive the handler.
//
// Traits (see order_traits.h, inventory_traits.h):
//   using State, Command (a std::variant of structs, each with `kName`), Event (the
//   stream type's envelope), Summary (what a reply reports of the state after a command);
//   static const events::EventCodec<Event>& Codec();
//   static const char* kNoun;                      // in messages: "order", "sku"
//   static absl::Status Prepare(Command&);         // fill server-made ids, then validate
//   static std::string StreamId(const Command&);
//   static bool CreatesStream(const Command&);     // usually aimed at a new stream
//   static absl::StatusOr<std::vector<Event>> Decide(const State&, const Command&);
//   static void Apply(State&, const Event&);       // advances state.version by one
//   static Summary Summarize(const State&, const Command&);
//   static constexpr int kSnapshotEvery;           // events between snapshots; 0: none
//   static constexpr int kSnapshotSchemaVersion;   // of the state's snapshot shape
//   static std::string SnapshotJson(const State&);
//   static absl::StatusOr<State> FromSnapshotJson(const std::string&);
#ifndef ORDO_COMMAND_HANDLER_COMMAND_HANDLER_H_
#define ORDO_COMMAND_HANDLER_COMMAND_HANDLER_H_

#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "command/handler/aggregate_cache.h"
#include "command/handler/command_context.h"
#include "command/handler/command_pipeline.h"
#include "common/ids.h"
#include "common/metrics.h"
#include "common/status_macros.h"
#include "common/worker_pool.h"
#include "store/log/event_store.h"

namespace ordo::command {

struct CommandHandlerOptions {
  // Attempts for a command without expected_version whose append keeps conflicting.
  int max_attempts = 10;
  // Streams kept in their last committed state, so most commands skip reading them.
  size_t cache_capacity = 10000;
  // Whether to read and write snapshots (for traits that have them).
  bool snapshots = true;
};

template <typename Traits>
class CommandHandler {
 public:
  using State = typename Traits::State;
  using Command = typename Traits::Command;
  using Event = typename Traits::Event;
  using Summary = typename Traits::Summary;
  using Outcome = CommandOutcome<Summary>;

  explicit CommandHandler(store::EventStore& store, CommandHandlerOptions options = {})
      : store_(store),
        options_(options),
        cache_(options.cache_capacity),
        cache_hits_(CacheCounter("hit")),
        cache_misses_(CacheCounter("miss")),
        cache_new_streams_(CacheCounter("new_stream")) {}
  CommandHandler(const CommandHandler&) = delete;
  CommandHandler& operator=(const CommandHandler&) = delete;

  // The stream's committed state read from the store (its newest snapshot, when enabled,
  // and the events after it), bypassing the cache. A state of version 0: no such stream.
  absl::StatusOr<State> Current(const std::string& stream_id, absl::Time deadline) {
    ORDO_ASSIGN_OR_RETURN(Entry entry, Load(stream_id, deadline));
    return entry->state;
  }

  // Errors: INVALID_ARGUMENT (a field, named), NOT_FOUND, ALREADY_EXISTS,
  // FAILED_PRECONDITION (a business rule), ABORTED (expected_version mismatch, or conflicts
  // past max_attempts), UNAVAILABLE (database), DEADLINE_EXCEEDED.
  absl::StatusOr<Outcome> Handle(Command command, const CommandContext& context) {
    ORDO_ASSIGN_OR_RETURN(Call call, Begin(std::move(command), context));
    return Settle(call, Attempt(call, /*fresh=*/false), /*attempt=*/1);
  }

  // Takes the outcome of HandleAsync; must not block.
  using Done = absl::AnyInvocable<void(absl::StatusOr<Outcome>) &&>;

  // Handle, answered through `done`; the calling thread never blocks. When the aggregate is
  // cached (or the command creates its stream) and no other command of this process is on
  // the stream, the command is decided right here and `done` runs on the thread of the
  // append's batch. Otherwise the command runs on `workers` (a read, a wait for the
  // stream's turn, a conflict to retry), and so do snapshot writes. `workers` must outlive
  // every call.
  void HandleAsync(Command command, const CommandContext& context, WorkerPool& workers, Done done) {
    absl::StatusOr<Call> begun = Begin(std::move(command), context);
    if (!begun.ok()) return std::move(done)(begun.status());
    auto call = std::make_shared<const Call>(*std::move(begun));
    if (store_.appends_in_background() && TryDecideHere(call, workers, done)) return;
    workers.Post([this, call, &workers, done = std::move(done)]() mutable {
      if (absl::Now() >= call->context.deadline) {
        return std::move(done)(
            absl::DeadlineExceededError("the deadline passed before the command ran"));
      }
      StreamTurns::Turn turn = turns_.Claim(call->stream_id);
      absl::StatusOr<Plan> plan = PlanInTurn(*call, /*fresh=*/false);
      if (plan.ok() && std::holds_alternative<Pending>(*plan)) {
        return AppendInBackground(call, std::get<Pending>(*std::move(plan)), std::move(turn),
                                  workers, std::move(done));
      }
      turn.Release();
      absl::StatusOr<Outcome> answer =
          plan.ok() ? std::get<Outcome>(*std::move(plan)) : absl::StatusOr<Outcome>(plan.status());
      std::move(done)(Settle(*call, std::move(answer), /*attempt=*/1));
    });
  }

 private:
  using Entry = typename AggregateCache<State>::Entry;

  static constexpr bool kHasSnapshots = Traits::kSnapshotEvery > 0;

  // One command on its way through the pipeline.
  struct Call {
    Command command;
    CommandContext context;
    std::string stream_id;
    std::string metadata_json;
  };

  // Events decided in the stream's turn, to append after the state they follow.
  struct Pending {
    Entry entry;
    std::vector<Event> events;
    store::AppendRequest append;
  };

  // What deciding came to: the answer (nothing to append), or an append to run.
  using Plan = std::variant<Outcome, Pending>;

  static prometheus::Counter& CacheCounter(const char* result) {
    return AddCounter("ordo_aggregate_cache_lookups_total",
                      "Commands by where their aggregate came from: hit (the cache), miss (read "
                      "from the store), new_stream (a command that creates its stream).",
                      {{"stream_type", Traits::Codec().stream_type()}, {"result", result}});
  }

  // Checks the context, fills server-made ids and validates the command.
  absl::StatusOr<Call> Begin(Command command, const CommandContext& context) {
    ORDO_RETURN_IF_ERROR(ValidateContext(context));
    ORDO_RETURN_IF_ERROR(Traits::Prepare(command));
    Call call{std::move(command), context, {}, {}};
    call.stream_id = Traits::StreamId(call.command);
    // No look-up of the request_id first: a repeat is caught by the append (the request is
    // recorded in the same statement) or by the decision, and answered from the record.
    const std::string request_id = context.request_id.empty() ? NewUuid() : context.request_id;
    call.metadata_json =
        MetadataJson(std::visit([](const auto& c) -> const char* { return c.kName; }, call.command),
                     context, request_id);
    return call;
  }

  // Goes on from attempt number `attempt`, which came to `outcome`: a failure that an
  // earlier or concurrent call with the same request_id explains is answered from its
  // record, and a conflict without an expected version is decided again on fresh state.
  absl::StatusOr<Outcome> Settle(const Call& call, absl::StatusOr<Outcome> outcome, int attempt) {
    for (;; ++attempt) {
      if (outcome.ok() || !MayBeExplainedByRecordedRequest(outcome.status())) return outcome;
      // This request_id may have been applied before (a retry) or meanwhile (a twin): then
      // the append conflicted, or the decision saw its effect, and the record is the answer.
      ORDO_ASSIGN_OR_RETURN(std::optional<Outcome> recorded,
                            FindRecorded(call.command, call.context));
      if (recorded) return *std::move(recorded);
      if (!absl::IsAborted(outcome.status()) || call.context.expected_version) return outcome;
      if (attempt >= options_.max_attempts) {
        return absl::AbortedError(absl::StrCat(Traits::kNoun, " ", call.stream_id,
                                               ": gave up after ", attempt,
                                               " conflicting attempts; retry the request"));
      }
      if (absl::Now() >= call.context.deadline) {
        return absl::DeadlineExceededError("deadline passed while retrying a conflicting append");
      }
      if (attempt > 1) BackOff(attempt);
      outcome = Attempt(call, /*fresh=*/true);
    }
  }

  // The stream from its newest snapshot (when the traits have them) and the events after
  // it; `up_to_version` stops there (a recorded request's version).
  absl::StatusOr<Entry> Load(const std::string& stream_id, absl::Time deadline,
                             std::optional<int32_t> up_to_version = std::nullopt) {
    auto entry = std::make_shared<Loaded<State>>();
    if (kHasSnapshots && options_.snapshots) {
      ORDO_ASSIGN_OR_RETURN(
          std::optional<store::Snapshot> snapshot,
          store_.ReadSnapshot(stream_id, Traits::kSnapshotSchemaVersion, deadline));
      if (snapshot && (!up_to_version || snapshot->version <= *up_to_version)) {
        // A snapshot that does not load is ignored: the events are the truth.
        absl::StatusOr<State> state = Traits::FromSnapshotJson(snapshot->state_json);
        if (state.ok() && state->version == snapshot->version) {
          entry->state = *std::move(state);
          entry->position = snapshot->position;
          entry->snapshot_version = snapshot->version;
        }
      }
    }
    ORDO_ASSIGN_OR_RETURN(std::vector<store::RecordedEvent> history,
                          store_.ReadStream(stream_id, entry->state.version + 1, deadline));
    for (const store::RecordedEvent& recorded : history) {
      if (up_to_version && recorded.version > *up_to_version) break;
      ORDO_ASSIGN_OR_RETURN(Event event, Traits::Codec().Decode(recorded));
      Traits::Apply(entry->state, event);
      entry->position = recorded.position;
    }
    return entry;
  }

  // The recorded outcome of context.request_id, if any.
  absl::StatusOr<std::optional<Outcome>> FindRecorded(const Command& command,
                                                      const CommandContext& context) {
    if (context.request_id.empty()) return std::optional<Outcome>();
    absl::StatusOr<store::RecordedRequest> found =
        store_.FindRequest(context.request_id, context.deadline);
    if (absl::IsNotFound(found.status())) return std::optional<Outcome>();
    if (!found.ok()) return found.status();
    if (found->fingerprint != context.fingerprint) {
      return absl::InvalidArgumentError(absl::StrCat("request_id: ", context.request_id,
                                                     " was already used for a different request"));
    }
    Outcome outcome{found->result.stream_id, found->result.version, found->result.position, {}};
    if constexpr (!std::is_empty_v<Summary>) {
      // The reply reports the state as the first call left it.
      ORDO_ASSIGN_OR_RETURN(Entry entry,
                            Load(found->result.stream_id, context.deadline, found->result.version));
      outcome.summary = Traits::Summarize(entry->state, command);
    }
    return std::optional<Outcome>(std::move(outcome));
  }

  // The state to decide on without reading the stream: the cached committed state, or for
  // a command aimed at a new stream none at all (a stale guess costs a conflict and a fresh
  // attempt, never a wrong write: the append names the version). nullptr: read it.
  // `source` is the lookup counter to count it under.
  Entry Remembered(const Call& call, prometheus::Counter*& source) {
    Entry entry = cache_.Get(call.stream_id);
    source = &cache_hits_;
    if (!entry && Traits::CreatesStream(call.command)) {
      entry = std::make_shared<Loaded<State>>();
      source = &cache_new_streams_;
    }
    if (!entry) source = &cache_misses_;
    return entry;
  }

  // The events `call` appends to `state`, or its refusal.
  absl::StatusOr<std::vector<Event>> Judge(const Call& call, const State& state) {
    if (call.context.expected_version && *call.context.expected_version != state.version) {
      return absl::AbortedError(absl::StrCat("expected_version ", *call.context.expected_version,
                                             " but ", Traits::kNoun, " ", call.stream_id,
                                             " is at version ", state.version));
    }
    return Traits::Decide(state, call.command);
  }

  // Events to write are checked by the append's version. A refusal, or nothing to write (a
  // repeated no-op), is an answer about the state: only the stored state may give it, as
  // the cache may lag another process.
  static bool AnswersFromState(const absl::StatusOr<std::vector<Event>>& judged) {
    return !judged.ok() || judged->empty();
  }

  // The append of `events` after `entry`'s state.
  absl::StatusOr<store::AppendRequest> ToAppend(const Call& call, const Loaded<State>& entry,
                                                const std::vector<Event>& events) {
    store::AppendRequest append;
    append.stream_id = call.stream_id;
    append.stream_type = Traits::Codec().stream_type();
    append.expected_version = entry.state.version;
    append.metadata_json = call.metadata_json;
    if (!call.context.request_id.empty()) {
      append.request = store::RequestKey{call.context.request_id, call.context.fingerprint};
    }
    for (const Event& event : events) {
      ORDO_ASSIGN_OR_RETURN(store::NewEvent stored, Traits::Codec().Encode(event));
      append.events.push_back(std::move(stored));
    }
    return append;
  }

  // Decides `call` in the stream's turn. `fresh`: read the stream, trust no cache.
  absl::StatusOr<Plan> PlanInTurn(const Call& call, bool fresh) {
    prometheus::Counter* source = nullptr;
    Entry entry = fresh ? nullptr : Remembered(call, source);
    if (source != nullptr) source->Increment();
    bool from_store = entry == nullptr;
    if (!entry) {
      ORDO_ASSIGN_OR_RETURN(entry, Load(call.stream_id, call.context.deadline));
    }
    absl::StatusOr<std::vector<Event>> judged = Judge(call, entry->state);
    if (AnswersFromState(judged) && !from_store) {
      ORDO_ASSIGN_OR_RETURN(entry, Load(call.stream_id, call.context.deadline));
      judged = Judge(call, entry->state);
    }
    if (!judged.ok()) return judged.status();
    if (judged->empty()) {
      cache_.Put(call.stream_id, entry);
      return Plan(Outcome{call.stream_id, entry->state.version, entry->position,
                          Traits::Summarize(entry->state, call.command)});
    }
    ORDO_ASSIGN_OR_RETURN(store::AppendRequest append, ToAppend(call, *entry, *judged));
    return Plan(Pending{std::move(entry), *std::move(judged), std::move(append)});
  }

  // The fast path of HandleAsync: decides on this thread and hands the append to the
  // store's batches, when that needs no read and no wait. False: nothing was done (`done`
  // is untouched).
  bool TryDecideHere(const std::shared_ptr<const Call>& call, WorkerPool& workers, Done& done) {
    std::optional<StreamTurns::Turn> turn = turns_.TryClaim(call->stream_id);
    if (!turn) return false;
    prometheus::Counter* source = nullptr;
    Entry entry = Remembered(*call, source);
    if (!entry) return false;
    absl::StatusOr<std::vector<Event>> judged = Judge(*call, entry->state);
    if (AnswersFromState(judged)) return false;
    absl::StatusOr<store::AppendRequest> append = ToAppend(*call, *entry, *judged);
    if (!append.ok()) return false;
    source->Increment();
    AppendInBackground(call, Pending{std::move(entry), *std::move(judged), *std::move(append)},
                       *std::move(turn), workers, std::move(done));
    return true;
  }

  // Runs `pending`'s append in the store's batches; on its outcome (on the batch's
  // thread) moves the entry on, ends the turn and answers `done`, or hands a failure that
  // a recorded request may explain to `workers`.
  void AppendInBackground(std::shared_ptr<const Call> call, Pending pending, StreamTurns::Turn turn,
                          WorkerPool& workers, Done done) {
    store::AppendRequest append = std::move(pending.append);
    const absl::Time deadline = call->context.deadline;  // before `call` moves
    store_.AppendAsync(
        std::move(append), deadline,
        [this, deadline, call = std::move(call), pending = std::move(pending),
         turn = std::move(turn), &workers,
         done = std::move(done)](absl::StatusOr<store::AppendResult> appended) mutable {
          std::optional<store::Snapshot> snapshot;
          absl::StatusOr<Outcome> outcome = Conclude(*call, pending, std::move(appended), snapshot);
          turn.Release();
          if (snapshot) {
            workers.Post([this, snapshot = *std::move(snapshot), deadline] {
              (void)store_.WriteSnapshot(snapshot, deadline);
            });
          }
          if (!outcome.ok() && MayBeExplainedByRecordedRequest(outcome.status())) {
            workers.Post(
                [this, call, outcome = std::move(outcome), done = std::move(done)]() mutable {
                  std::move(done)(Settle(*call, std::move(outcome), /*attempt=*/1));
                });
            return;
          }
          std::move(done)(std::move(outcome));
        });
  }

  // After the append of `pending`, still in the stream's turn: on commit the entry (ours
  // alone while we hold the turn) moves on in place and is cached, with `snapshot` set when
  // one is due; on failure the cached state is dropped.
  absl::StatusOr<Outcome> Conclude(const Call& call, const Pending& pending,
                                   absl::StatusOr<store::AppendResult> appended,
                                   std::optional<store::Snapshot>& snapshot) {
    if (!appended.ok()) {
      cache_.Erase(call.stream_id);
      return appended.status();
    }
    Loaded<State>& entry = *pending.entry;
    for (const Event& event : pending.events) Traits::Apply(entry.state, event);
    entry.position = appended->position;
    if (kHasSnapshots && options_.snapshots &&
        entry.state.version - entry.snapshot_version >= Traits::kSnapshotEvery) {
      snapshot = store::Snapshot{
          call.stream_id, Traits::Codec().stream_type(),  entry.state.version,
          entry.position, Traits::kSnapshotSchemaVersion, Traits::SnapshotJson(entry.state)};
      entry.snapshot_version = entry.state.version;
    }
    cache_.Put(call.stream_id, pending.entry);
    return Outcome{appended->stream_id, appended->version, appended->position,
                   Traits::Summarize(entry.state, call.command)};
  }

  // One load -> decide -> append round, waiting for the stream's turn and the append.
  // `fresh`: read the stream, trust no cache.
  absl::StatusOr<Outcome> Attempt(const Call& call, bool fresh) {
    std::optional<store::Snapshot> snapshot;
    absl::StatusOr<Outcome> outcome;
    {
      StreamTurns::Turn turn = turns_.Claim(call.stream_id);
      outcome = [&]() -> absl::StatusOr<Outcome> {
        ORDO_ASSIGN_OR_RETURN(Plan plan, PlanInTurn(call, fresh));
        if (Outcome* answer = std::get_if<Outcome>(&plan)) return std::move(*answer);
        Pending& pending = std::get<Pending>(plan);
        absl::StatusOr<store::AppendResult> appended =
            store_.Append(std::move(pending.append), call.context.deadline);
        return Conclude(call, pending, std::move(appended), snapshot);
      }();
    }
    // After commit and outside the stream's turn: a snapshot is a hint, and a failure to
    // write one changes nothing but the next cold load's speed.
    if (snapshot) (void)store_.WriteSnapshot(*snapshot, call.context.deadline);
    return outcome;
  }

  store::EventStore& store_;
  const CommandHandlerOptions options_;
  AggregateCache<State> cache_;
  prometheus::Counter& cache_hits_;
  prometheus::Counter& cache_misses_;
  prometheus::Counter& cache_new_streams_;
  StreamTurns turns_;
};

}  // namespace ordo::command

#endif  // ORDO_COMMAND_HANDLER_COMMAND_HANDLER_H_
