// One "process" on the write side for PostgreSQL tests: its own connection pool, event
// store (with group commit, as ordo-command runs it) and command handler of one aggregate.
#ifndef ORDO_TESTS_SUPPORT_COMMAND_WRITER_H_
#define ORDO_TESTS_SUPPORT_COMMAND_WRITER_H_

#include <string>

#include "command/handler/command_handler.h"
#include "store/log/event_store.h"
#include "store/pg/connection_pool.h"

namespace ordo::testing {

template <typename Handler>
struct CommandWriter {
  explicit CommandWriter(const std::string& url, int pool_size = 8,
                         command::CommandHandlerOptions options = {})
      : pool({url, pool_size}),
        store(pool, {store::NotifyMode::kOff, nullptr, /*max_group_commit=*/64}),
        handler(store, options) {}
  store::ConnectionPool pool;
  store::EventStore store;
  Handler handler;
};

}  // namespace ordo::testing

#endif  // ORDO_TESTS_SUPPORT_COMMAND_WRITER_H_
