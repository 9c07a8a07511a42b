// Timers as rows of saga_timers: set and cancel in the caller's transaction; claim, finish
// and retry on the poller's connection.
#include "store/subscription/timer_store.h"

#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

namespace ordo::store::timer_store {
namespace {

constexpr char kSetSql[] = R"sql(
INSERT INTO saga_timers (owner, instance, kind, due_at, correlation_id, causation_id,
                         traceparent)
VALUES ($1, $2, $3, clock_timestamp() + $4::bigint * interval '1 microsecond', $5, $6, $7)
ON CONFLICT (owner, instance, kind) DO NOTHING)sql";

constexpr char kCancelSql[] =
    "DELETE FROM saga_timers WHERE owner = $1 AND instance = $2 AND kind = $3";

// A claim holds while its session lives and its time has not run out.
constexpr char kClaimSql[] = R"sql(
UPDATE saga_timers t
   SET claimed_by = pg_backend_pid(),
       claimed_until = clock_timestamp() + $3::bigint * interval '1 microsecond',
       attempts = t.attempts + 1
  FROM (SELECT owner, instance, kind FROM saga_timers s
         WHERE owner = $1 AND due_at <= clock_timestamp()
           AND (claimed_until IS NULL OR claimed_until < clock_timestamp()
                OR NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = s.claimed_by))
         ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED) due
 WHERE t.owner = due.owner AND t.instance = due.instance AND t.kind = due.kind
RETURNING t.instance, t.kind, t.correlation_id, t.causation_id, t.attempts, t.traceparent)sql";

constexpr char kDoneSql[] =
    "DELETE FROM saga_timers WHERE owner = $1 AND instance = $2 AND kind = $3 AND attempts = $4";

constexpr char kRetrySql[] = R"sql(
UPDATE saga_timers
   SET due_at = clock_timestamp() + $5::bigint * interval '1 microsecond',
       claimed_by = NULL, claimed_until = NULL, last_error = $6
 WHERE owner = $1 AND instance = $2 AND kind = $3 AND attempts = $4)sql";

}  // namespace

void Set(pqxx::transaction_base& tx, const TimerKey& key, absl::Duration delay,
         const std::string& correlation_id, const std::string& causation_id,
         const std::string& traceparent) {
  tx.exec_params(kSetSql, key.owner, key.instance, key.kind, absl::ToInt64Microseconds(delay),
                 correlation_id, causation_id, traceparent);
}

void Cancel(pqxx::transaction_base& tx, const TimerKey& key) {
  tx.exec_params(kCancelSql, key.owner, key.instance, key.kind);
}

std::vector<Timer> ClaimDue(pqxx::connection& connection, const std::string& owner, int limit,
                            absl::Duration claim_for) {
  pqxx::work tx(connection);
  pqxx::result rows = tx.exec_params(kClaimSql, owner, limit, absl::ToInt64Microseconds(claim_for));
  tx.commit();
  std::vector<Timer> timers;
  for (const auto& row : rows) {
    timers.push_back(Timer{{owner, row[0].as<std::string>(), row[1].as<std::string>()},
                           row[2].as<std::string>(),
                           row[3].as<std::string>(),
                           row[4].as<int>(),
                           row[5].as<std::string>()});
  }
  return timers;
}

void Done(pqxx::connection& connection, const Timer& timer) {
  pqxx::nontransaction tx(connection);
  tx.exec_params(kDoneSql, timer.key.owner, timer.key.instance, timer.key.kind, timer.attempts);
}

void Retry(pqxx::connection& connection, const Timer& timer, absl::Duration delay,
           const std::string& error) {
  pqxx::nontransaction tx(connection);
  tx.exec_params(kRetrySql, timer.key.owner, timer.key.instance, timer.key.kind, timer.attempts,
                 absl::ToInt64Microseconds(delay), error);
}

}  // namespace ordo::store::timer_store
