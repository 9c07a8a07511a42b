// Tests of the cancel at a lease's deadline (statement_watchdog.h) on a real PostgreSQL:
// a statement waiting on a row lock another transaction holds, or one that is simply slow,
// ends at the deadline with DEADLINE_EXCEEDED and is no longer running in the server; a
// lease that ended in time leaves nothing armed for the connection's next user.
#include <gtest/gtest.h>

#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include "absl/time/clock.h"
#include "store/pg/connection_pool.h"
#include "store/pg/pg_status.h"
#include "store/pg/statement_watchdog.h"
#include "support/test_database.h"
#include "support/wait.h"

namespace ordo::store {
namespace {

class StatementWatchdogTest : public ::testing::Test {
 protected:
  // Runs `sql` on a leased connection whose lease ends at now + `deadline`; returns the
  // outcome and sets `took`.
  absl::Status RunLeased(const std::string& sql, absl::Duration deadline, absl::Duration* took) {
    const absl::Time started = absl::Now();
    absl::StatusOr<ConnectionPool::Lease> lease = pool_.Acquire(started + deadline);
    if (!lease.ok()) return lease.status();
    absl::Status ran = GuardPq("test", [&]() -> absl::Status {
      pqxx::nontransaction tx(**lease);
      tx.exec(sql);
      return absl::OkStatus();
    });
    *took = absl::Now() - started;
    return ran;
  }

  // Backends of this database still running a statement: waiting for a lock, or asleep.
  std::string Stuck() {
    return db_.Query(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> "
        "pg_backend_pid() AND state = 'active' AND (wait_event_type = 'Lock' OR query LIKE "
        "'%pg_sleep(10)%')");
  }

  testing::TestDatabase db_;
  ConnectionPool pool_{{db_.url(), 1}};
};

TEST_F(StatementWatchdogTest, AStatementWaitingOnARowLockIsCancelledAtTheDeadline) {
  db_.Query("CREATE TABLE locked (id int PRIMARY KEY, n int)");
  db_.Query("INSERT INTO locked VALUES (1, 0)");
  pqxx::connection holder(db_.url());
  pqxx::work holding(holder);
  holding.exec("UPDATE locked SET n = n + 1 WHERE id = 1");

  absl::Duration took;
  const absl::Status blocked =
      RunLeased("UPDATE locked SET n = n + 10 WHERE id = 1", absl::Seconds(1), &took);
  EXPECT_EQ(blocked.code(), absl::StatusCode::kDeadlineExceeded) << blocked;
  EXPECT_GE(took, absl::Milliseconds(900));
  EXPECT_LT(took, absl::Seconds(3));
  EXPECT_EQ(Stuck(), "0");
  holding.commit();
  EXPECT_EQ(db_.Query("SELECT n FROM locked"), "1");  // the cancelled update wrote nothing
}

TEST_F(StatementWatchdogTest, ASlowStatementIsCancelledAtTheDeadline) {
  absl::Duration took;
  const absl::Status slow = RunLeased("SELECT pg_sleep(10)", absl::Seconds(1), &took);
  EXPECT_EQ(slow.code(), absl::StatusCode::kDeadlineExceeded) << slow;
  EXPECT_LT(took, absl::Seconds(3));
  EXPECT_EQ(Stuck(), "0");
}

TEST_F(StatementWatchdogTest, ALeaseThatEndedInTimeLeavesTheConnectionsNextUserAlone) {
  absl::Duration took;
  ASSERT_TRUE(RunLeased("SELECT 1", absl::Milliseconds(300), &took).ok());
  // The same (only) connection, leased again with a later deadline, outlives the first one.
  EXPECT_TRUE(RunLeased("SELECT pg_sleep(1)", absl::Seconds(5), &took).ok());
  EXPECT_GE(took, absl::Seconds(1));
}

}  // namespace
}  // namespace ordo::store
