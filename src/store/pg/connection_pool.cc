// A bounded pool of PostgreSQL connections, made on demand and dropped when broken.
#include "store/pg/connection_pool.h"

#include <algorithm>
#include <pqxx/nontransaction>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/metrics.h"
#include "store/pg/pg_status.h"

namespace ordo::store {
namespace {

struct PoolWaitMetrics {
  prometheus::Histogram& waits =
      AddHistogram("ordo_db_pool_wait_seconds",
                   "How long a caller waited for a database connection when none was free.", {},
                   LatencyBuckets());
  prometheus::Counter& timeouts =
      AddCounter("ordo_db_pool_timeouts_total",
                 "Waits for a database connection that reached their deadline.");
};

PoolWaitMetrics& PoolWaits() {
  static PoolWaitMetrics* metrics = new PoolWaitMetrics();
  return *metrics;
}

}  // namespace

std::string WithConnectTimeout(const std::string& database_url, absl::Duration timeout) {
  const int64_t seconds = std::max<int64_t>(1, absl::ToInt64Seconds(timeout));
  // Bounded connects, and a dead peer noticed within about 20 s (keepalives, and unacked
  // data given up on after tcp_user_timeout) instead of a call that hangs for good.
  const std::pair<const char*, std::string> defaults[] = {
      {"connect_timeout", absl::StrCat(seconds)},
      {"keepalives_idle", "10"},
      {"keepalives_interval", "3"},
      {"keepalives_count", "3"},
      {"tcp_user_timeout", "20000"}};
  const bool is_url = absl::StartsWith(database_url, "postgres://") ||
                      absl::StartsWith(database_url, "postgresql://");
  std::string result = database_url;
  for (const auto& [key, value] : defaults) {
    if (absl::StrContains(database_url, key)) continue;
    if (is_url) {
      absl::StrAppend(&result, absl::StrContains(result, "?") ? "&" : "?", key, "=", value);
    } else {
      absl::StrAppend(&result, " ", key, "=", value);
    }
  }
  // A session left idle inside a transaction (a leaked one, a stuck client) holds every
  // subscriber's tail back; the server ends it after a minute (DESIGN §14).
  if (!absl::StrContains(database_url, "options")) {
    absl::StrAppend(&result, is_url ? (absl::StrContains(result, "?") ? "&" : "?") : " ",
                    is_url ? "options=-c%20idle_in_transaction_session_timeout%3D60s"
                           : "options='-c idle_in_transaction_session_timeout=60s'");
  }
  return result;
}

ConnectionPool::ConnectionPool(ConnectionPoolOptions options)
    : options_(std::move(options)),
      connection_string_(WithConnectTimeout(options_.database_url, options_.connect_timeout)) {
  PoolWaits();  // the series exist before the first wait
}

ConnectionPool::Lease::~Lease() {
  watch_ = StatementWatchdog::Watch();  // disarmed before the connection is anyone else's
  if (connection_ != nullptr) pool_->Release(std::move(connection_));
}

absl::StatusOr<ConnectionPool::Lease> ConnectionPool::Acquire(absl::Time deadline) {
  {
    absl::MutexLock lock(&mu_);
    auto available = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !idle_.empty() || open_ < options_.size;
    };
    if (!available()) {
      // Only a wait is measured: the common path takes a free connection and costs nothing.
      PoolWaitMetrics& metrics = PoolWaits();
      const absl::Time started = absl::Now();
      const bool got = mu_.AwaitWithDeadline(absl::Condition(&available), deadline);
      metrics.waits.Observe(absl::ToDoubleSeconds(absl::Now() - started));
      if (!got) {
        metrics.timeouts.Increment();
        return absl::UnavailableError(absl::StrCat(
            "no database connection free before the deadline (pool size ", options_.size, ")"));
      }
    }
    if (!idle_.empty()) {
      std::unique_ptr<pqxx::connection> connection = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(connection), deadline);
    }
    ++open_;  // reserve a slot, then connect outside the lock
  }
  absl::StatusOr<std::unique_ptr<pqxx::connection>> connection =
      GuardPq("connect", [&]() -> absl::StatusOr<std::unique_ptr<pqxx::connection>> {
        auto made = std::make_unique<pqxx::connection>(connection_string_);
        if (!options_.session_sql.empty()) pqxx::nontransaction(*made).exec(options_.session_sql);
        return made;
      });
  if (!connection.ok()) {
    absl::MutexLock lock(&mu_);
    --open_;
    return connection.status();
  }
  return Lease(this, *std::move(connection), deadline);
}

void ConnectionPool::Release(std::unique_ptr<pqxx::connection> connection) {
  std::vector<std::unique_ptr<pqxx::connection>> stale;  // disconnected outside the lock
  {
    absl::MutexLock lock(&mu_);
    if (connection->is_open()) {
      idle_.push_back(std::move(connection));
      return;
    }
    // One broken connection usually means the server restarted or the network dropped:
    // the idle ones are most likely dead too, so make fresh ones on demand.
    stale.swap(idle_);
    open_ -= 1 + static_cast<int>(stale.size());
  }
  connection.reset();
}

}  // namespace ordo::store
