// One "process" on the write side for PostgreSQL tests: its own connection pool, event
// store (with group commit, as ordo-command runs it), command handler of one aggregate and
// workers. Run takes either of the handler's paths: Handle (blocking, as the saga calls it)
// or HandleAsync waiting for its answer (as ordo-command's services call it).
#ifndef ORDO_TESTS_SUPPORT_COMMAND_WRITER_H_
#define ORDO_TESTS_SUPPORT_COMMAND_WRITER_H_

#include <optional>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "command/handler/command_handler.h"
#include "common/worker_pool.h"
#include "store/log/event_store.h"
#include "store/pg/connection_pool.h"

namespace ordo::testing {

enum class HandlerPath { kBlocking, kAsync };

template <typename Handler>
struct CommandWriter {
  explicit CommandWriter(const std::string& url, int pool_size = 8,
                         command::CommandHandlerOptions options = {},
                         HandlerPath path = HandlerPath::kBlocking)
      : pool({url, pool_size}),
        store(pool, {store::NotifyMode::kOff, nullptr, /*max_group_commit=*/64}),
        handler(store, options),
        path(path),
        workers(pool_size) {}

  absl::StatusOr<typename Handler::Outcome> Run(typename Handler::Command command,
                                                const command::CommandContext& context) {
    if (path == HandlerPath::kBlocking) return handler.Handle(std::move(command), context);
    absl::Notification answered;
    std::optional<absl::StatusOr<typename Handler::Outcome>> outcome;
    handler.HandleAsync(std::move(command), context, workers,
                        [&](absl::StatusOr<typename Handler::Outcome> answer) {
                          outcome = std::move(answer);
                          answered.Notify();
                        });
    answered.WaitForNotification();
    return *std::move(outcome);
  }

  store::ConnectionPool pool;
  store::EventStore store;
  Handler handler;
  const HandlerPath path;
  WorkerPool workers;  // destroyed first: what it still runs uses the handler
};

}  // namespace ordo::testing

#endif  // ORDO_TESTS_SUPPORT_COMMAND_WRITER_H_
