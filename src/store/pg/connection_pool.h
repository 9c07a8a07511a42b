// A bounded pool of PostgreSQL connections. Connections are made on demand up to `size`,
// handed out as RAII leases, and dropped when they break, so the pool heals by itself when
// the database comes back. Thread-safe; the pool must outlive every lease.
#ifndef ORDO_STORE_PG_CONNECTION_POOL_H_
#define ORDO_STORE_PG_CONNECTION_POOL_H_

#include <memory>
#include <pqxx/connection>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "store/pg/statement_watchdog.h"

namespace ordo::store {

struct ConnectionPoolOptions {
  // libpq connection string or URL (postgresql://user@host:port/db).
  std::string database_url;
  int size = 8;
  // Bound on a single connection attempt (libpq connect_timeout, whole seconds, min 1).
  absl::Duration connect_timeout = absl::Seconds(3);
  // Run on every new connection before its first use (SET statements).
  std::string session_sql = "";
};

class ConnectionPool {
 public:
  // Exclusive use of one connection until destroyed; then it returns to the pool, or is
  // dropped when it is no longer open.
  class Lease {
   public:
    Lease(Lease&& other) noexcept
        : pool_(other.pool_),
          connection_(std::move(other.connection_)),
          watch_(std::move(other.watch_)) {}
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease();

    pqxx::connection& operator*() const { return *connection_; }
    pqxx::connection* operator->() const { return connection_.get(); }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool* pool, std::unique_ptr<pqxx::connection> connection, absl::Time deadline)
        : pool_(pool),
          connection_(std::move(connection)),
          watch_(StatementWatchdog::Get().Arm(*connection_, deadline)) {}

    ConnectionPool* pool_;
    std::unique_ptr<pqxx::connection> connection_;
    // Cancels the statement running at `deadline` (disarmed before the connection goes back).
    StatementWatchdog::Watch watch_;
  };

  explicit ConnectionPool(ConnectionPoolOptions options);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // A connection, waiting until `deadline` for one to be free. UNAVAILABLE when the
  // database cannot be reached or no connection frees up in time. A statement still
  // running on it at `deadline` is cancelled in the database (statement_watchdog.h).
  absl::StatusOr<Lease> Acquire(absl::Time deadline);

  // The connection string actually used (with WithConnectTimeout's settings).
  const std::string& connection_string() const { return connection_string_; }

  int size() const { return options_.size; }

 private:
  void Release(std::unique_ptr<pqxx::connection> connection);

  const ConnectionPoolOptions options_;
  const std::string connection_string_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;  // idle + leased + being connected
};

// Adds libpq's connect_timeout, TCP keepalive settings and tcp_user_timeout to a URL or
// key=value connection string, and the server setting idle_in_transaction_session_timeout
// = 60s (as libpq `options`), each unless the string sets it already.
std::string WithConnectTimeout(const std::string& database_url, absl::Duration timeout);

}  // namespace ordo::store

#endif  // ORDO_STORE_PG_CONNECTION_POOL_H_
