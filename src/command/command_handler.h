// The write path of one command: rebuild the aggregate (from the cache of committed state,
// or from its events), decide, append with optimistic concurrency, and record the request
// for idempotency in the same transaction. Conflicts without an expected version are
// retried (reload, decide again).
// Thread-safe; the store must outlive the handler.
#ifndef ORDO_COMMAND_COMMAND_HANDLER_H_
#define ORDO_COMMAND_COMMAND_HANDLER_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "command/aggregate_cache.h"
#include "command/domain/order_commands.h"
#include "store/event_store.h"
#include "store/log_position.h"

namespace ordo::command {

// Everything about a command that is not the command itself.
struct CommandContext {
  // Idempotency key; empty: one is made for the metadata and nothing is deduplicated.
  std::string request_id;
  // Identifies the request's content; a request_id reused for other content is refused.
  std::string fingerprint;
  std::optional<int32_t> expected_version;
  std::string correlation_id;
  std::string causation_id;  // empty: the request_id
  std::string peer;
  absl::Time deadline = absl::InfiniteFuture();
};

struct CommandOutcome {
  std::string order_id;
  int32_t version = 0;
  store::LogPosition position;  // of the last event: the consistency token
};

struct CommandHandlerOptions {
  // Attempts for a command without expected_version whose append keeps conflicting.
  int max_attempts = 10;
  // Orders kept in their last committed state, so most commands skip reading the stream.
  size_t cache_capacity = 10000;
};

class OrderCommandHandler {
 public:
  explicit OrderCommandHandler(store::EventStore& store, CommandHandlerOptions options = {})
      : store_(store), options_(options), cache_(options.cache_capacity) {}
  OrderCommandHandler(const OrderCommandHandler&) = delete;
  OrderCommandHandler& operator=(const OrderCommandHandler&) = delete;

  // CreateOrder with an empty order_id gets a fresh UUID. Errors: INVALID_ARGUMENT (a field,
  // named), NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION (a business rule), ABORTED
  // (expected_version mismatch, or conflicts past max_attempts), UNAVAILABLE (database).
  absl::StatusOr<CommandOutcome> Handle(domain::OrderCommand command,
                                        const CommandContext& context);

 private:
  // One load -> decide -> append round. `fresh`: read the stream, trust no cache.
  absl::StatusOr<CommandOutcome> Attempt(const domain::OrderCommand& command,
                                         const CommandContext& context,
                                         const std::string& metadata_json, bool fresh);
  // The order from its events in the store.
  absl::StatusOr<domain::Order> LoadOrder(const std::string& order_id, absl::Time deadline);
  // The recorded outcome of context.request_id, if any.
  absl::StatusOr<std::optional<CommandOutcome>> FindRecorded(const CommandContext& context);

  absl::Mutex& StripeFor(const std::string& order_id);

  store::EventStore& store_;
  const CommandHandlerOptions options_;
  AggregateCache cache_;
  // Commands on one order in this process take turns, so they do not conflict with each
  // other; conflicts with other processes are still caught by the store.
  std::array<absl::Mutex, 256> stripes_;
};

}  // namespace ordo::command

#endif  // ORDO_COMMAND_COMMAND_HANDLER_H_
