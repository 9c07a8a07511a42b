// The one command pipeline (DESIGN §9), generic over an aggregate's traits: rebuild the
// aggregate (from the cache of committed state, else from its newest snapshot and the
// events after it), decide, append with optimistic concurrency and the request's
// idempotency record in the same transaction (group commit is the store's), write a
// snapshot after commit when the stream has grown by the traits' interval. Conflicts
// without an expected version are retried (reload, decide again); commands on one stream
// in this process take turns. Thread-safe; the store must outlive the handler.
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

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "command/handler/aggregate_cache.h"
#include "command/handler/command_context.h"
#include "command/handler/command_pipeline.h"
#include "common/ids.h"
#include "common/metrics.h"
#include "common/status_macros.h"
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
    ORDO_RETURN_IF_ERROR(ValidateContext(context));
    ORDO_RETURN_IF_ERROR(Traits::Prepare(command));
    const std::string stream_id = Traits::StreamId(command);
    // No look-up of the request_id first: a repeat is caught by the append (the request is
    // recorded in the same statement) or by the decision, and answered from the record.
    const std::string request_id = context.request_id.empty() ? NewUuid() : context.request_id;
    const std::string metadata_json =
        MetadataJson(std::visit([](const auto& c) -> const char* { return c.kName; }, command),
                     context, request_id);
    for (int attempt = 1;; ++attempt) {
      absl::StatusOr<Outcome> outcome =
          Attempt(command, stream_id, context, metadata_json, /*fresh=*/attempt > 1);
      if (outcome.ok() || !MayBeExplainedByRecordedRequest(outcome.status())) return outcome;
      // This request_id may have been applied before (a retry) or meanwhile (a twin): then
      // the append conflicted, or the decision saw its effect, and the record is the answer.
      ORDO_ASSIGN_OR_RETURN(std::optional<Outcome> recorded, FindRecorded(command, context));
      if (recorded) return *std::move(recorded);
      if (!absl::IsAborted(outcome.status()) || context.expected_version) return outcome;
      if (attempt >= options_.max_attempts) {
        return absl::AbortedError(absl::StrCat(Traits::kNoun, " ", stream_id, ": gave up after ",
                                               attempt,
                                               " conflicting attempts; retry the request"));
      }
      if (absl::Now() >= context.deadline) {
        return absl::DeadlineExceededError("deadline passed while retrying a conflicting append");
      }
      if (attempt > 1) BackOff(attempt);
    }
  }

 private:
  using Entry = typename AggregateCache<State>::Entry;

  static constexpr bool kHasSnapshots = Traits::kSnapshotEvery > 0;

  static prometheus::Counter& CacheCounter(const char* result) {
    return AddCounter("ordo_aggregate_cache_lookups_total",
                      "Commands by where their aggregate came from: hit (the cache), miss (read "
                      "from the store), new_stream (a command that creates its stream).",
                      {{"stream_type", Traits::Codec().stream_type()}, {"result", result}});
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

  // One load -> decide -> append round. `fresh`: read the stream, trust no cache.
  absl::StatusOr<Outcome> Attempt(const Command& command, const std::string& stream_id,
                                  const CommandContext& context, const std::string& metadata_json,
                                  bool fresh) {
    std::optional<store::Snapshot> snapshot;
    absl::StatusOr<Outcome> outcome =
        AttemptInTurn(command, stream_id, context, metadata_json, fresh, snapshot);
    // After commit and outside the stream's turn: a snapshot is a hint, and a failure to
    // write one changes nothing but the next cold load's speed.
    if (snapshot) (void)store_.WriteSnapshot(*snapshot, context.deadline);
    return outcome;
  }

  absl::StatusOr<Outcome> AttemptInTurn(const Command& command, const std::string& stream_id,
                                        const CommandContext& context,
                                        const std::string& metadata_json, bool fresh,
                                        std::optional<store::Snapshot>& snapshot) {
    absl::MutexLock turn(&turns_.For(stream_id));

    // The cached committed state, or for a command aimed at a new stream none at all: a
    // stale guess costs a conflict and a fresh attempt, never a wrong write (the append
    // names the version).
    Entry entry = fresh ? nullptr : cache_.Get(stream_id);
    prometheus::Counter* source = entry ? &cache_hits_ : &cache_misses_;
    if (!entry && !fresh && Traits::CreatesStream(command)) {
      entry = std::make_shared<Loaded<State>>();
      source = &cache_new_streams_;
    }
    if (!fresh) source->Increment();
    bool from_store = entry == nullptr;
    if (!entry) {
      ORDO_ASSIGN_OR_RETURN(entry, Load(stream_id, context.deadline));
    }
    absl::StatusOr<std::vector<Event>> decided;
    for (;;) {
      const State& state = entry->state;
      absl::Status verdict;
      if (context.expected_version && *context.expected_version != state.version) {
        verdict = absl::AbortedError(absl::StrCat("expected_version ", *context.expected_version,
                                                  " but ", Traits::kNoun, " ", stream_id,
                                                  " is at version ", state.version));
      } else {
        decided = Traits::Decide(state, command);
        verdict = decided.status();
      }
      // Events to write are checked by the append's version. A refusal, or nothing to write
      // (a repeated no-op), is an answer about the state: only the stored state may give
      // it, as the cache may lag another process.
      const bool answer_from_state = !verdict.ok() || decided->empty();
      if (!answer_from_state || from_store) {
        if (!verdict.ok()) return verdict;
        break;
      }
      ORDO_ASSIGN_OR_RETURN(entry, Load(stream_id, context.deadline));
      from_store = true;
    }
    if (decided->empty()) {
      cache_.Put(stream_id, entry);
      return Outcome{stream_id, entry->state.version, entry->position,
                     Traits::Summarize(entry->state, command)};
    }

    store::AppendRequest append;
    append.stream_id = stream_id;
    append.stream_type = Traits::Codec().stream_type();
    append.expected_version = entry->state.version;
    append.metadata_json = metadata_json;
    if (!context.request_id.empty()) {
      append.request = store::RequestKey{context.request_id, context.fingerprint};
    }
    for (const Event& event : *decided) {
      ORDO_ASSIGN_OR_RETURN(store::NewEvent stored, Traits::Codec().Encode(event));
      append.events.push_back(std::move(stored));
    }
    absl::StatusOr<store::AppendResult> appended = store_.Append(append, context.deadline);
    if (!appended.ok()) {
      cache_.Erase(stream_id);
      return appended.status();
    }
    // Committed: the entry (ours alone while we hold the turn) moves on in place.
    for (const Event& event : *decided) Traits::Apply(entry->state, event);
    entry->position = appended->position;
    if (kHasSnapshots && options_.snapshots &&
        entry->state.version - entry->snapshot_version >= Traits::kSnapshotEvery) {
      snapshot = store::Snapshot{stream_id,
                                 append.stream_type,
                                 entry->state.version,
                                 entry->position,
                                 Traits::kSnapshotSchemaVersion,
                                 Traits::SnapshotJson(entry->state)};
      entry->snapshot_version = entry->state.version;
    }
    cache_.Put(stream_id, entry);
    return Outcome{appended->stream_id, appended->version, appended->position,
                   Traits::Summarize(entry->state, command)};
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
