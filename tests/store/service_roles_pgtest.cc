// Tests of the service roles (migrations/0014_create_service_roles.sql, DESIGN §14) on a
// real PostgreSQL: each role holds exactly the table privileges its service's job needs,
// and every other read or write of every table is refused by the database itself, also
// with the events table's immutability triggers dropped.
#include <gtest/gtest.h>

#include <map>
#include <pqxx/connection>
#include <pqxx/except>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "support/test_database.h"

namespace ordo::store {
namespace {

constexpr char kPermissionDenied[] = "42501";

using Privileges = std::set<std::string>;
// Per table; a table not named gets nothing.
using TableGrants = std::map<std::string, Privileges>;

const Privileges kRead = {"SELECT"};
const Privileges kAppend = {"SELECT", "INSERT"};
const Privileges kKeep = {"SELECT", "INSERT", "UPDATE"};
const Privileges kOwnReadModel = {"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE"};
const std::vector<std::string> kPrivileges = {"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE"};
const std::vector<std::string> kReadModels = {"order_summary", "order_lines", "stock_levels",
                                              "fulfilments", "fulfilment_reservations"};

// What each service's job needs, table by table (column grants are checked apart).
std::map<std::string, TableGrants> ExpectedGrants() {
  const TableGrants runner = {{"events", kRead},
                              {"saga_timers", kRead},
                              {"projection_checkpoints", kKeep},
                              {"dead_letters", kKeep}};
  TableGrants projector = runner;
  for (const std::string& table : kReadModels) projector[table] = kOwnReadModel;
  TableGrants saga = runner;
  saga["events"] = kAppend;
  saga["command_requests"] = kAppend;
  saga["snapshots"] = kKeep;
  saga["saga_timers"] = {"SELECT", "INSERT", "UPDATE", "DELETE"};
  saga["sandbox_payment_operations"] = kAppend;
  TableGrants query = {{"events", kRead},
                       {"saga_timers", kRead},
                       {"projection_checkpoints", kRead},
                       {"dead_letters", kRead},
                       {"customer_notifications", kRead}};
  for (const std::string& table : kReadModels) query[table] = kRead;
  return {
      {"ordo_command",
       {{"events", kAppend},
        {"command_requests", {"SELECT", "INSERT", "DELETE"}},
        {"snapshots", kKeep}}},
      {"ordo_query", query},
      {"ordo_projector", projector},
      {"ordo_saga", saga},
      {"ordo_relay", runner},
      {"ordo_notify",
       {{"message_inbox", kAppend},
        {"notify_order_customers", kAppend},
        {"customer_notifications", kAppend}}},
  };
}

class ServiceRolesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { db_ = new testing::TestDatabase(); }
  static void TearDownTestSuite() {
    delete db_;
    db_ = nullptr;
  }

  static std::vector<std::string> Tables() {
    pqxx::connection connection(db_->url());
    pqxx::nontransaction tx(connection);
    std::vector<std::string> tables;
    for (const pqxx::row& row :
         tx.exec("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")) {
      tables.push_back(row[0].as<std::string>());
    }
    return tables;
  }

  // A statement that needs exactly `privilege` on `table` and changes nothing.
  static std::string Statement(pqxx::nontransaction& tx, const std::string& privilege,
                               const std::string& table) {
    if (privilege == "SELECT") return absl::StrCat("SELECT FROM ", table, " LIMIT 0");
    if (privilege == "INSERT") {
      // Typed NULLs read nothing, so the statement needs INSERT alone.
      const pqxx::row columns = tx.exec_params1(
          "SELECT string_agg(column_name, ', ' ORDER BY ordinal_position),"
          "       string_agg(format('NULL::%s', udt_name), ', ' ORDER BY ordinal_position)"
          "  FROM information_schema.columns WHERE table_name = $1 AND is_generated = 'NEVER'",
          table);
      return absl::StrCat("INSERT INTO ", table, " (", columns[0].as<std::string>(),
                          ") OVERRIDING SYSTEM VALUE SELECT ", columns[1].as<std::string>(),
                          " WHERE false");
    }
    if (privilege == "DELETE") return absl::StrCat("DELETE FROM ", table, " WHERE false");
    if (privilege == "TRUNCATE") return absl::StrCat("TRUNCATE ", table);
    const std::string column =
        tx.exec_params1(
              "SELECT column_name FROM information_schema.columns"
              " WHERE table_name = $1 AND is_identity = 'NO'"
              "   AND is_generated = 'NEVER' ORDER BY ordinal_position LIMIT 1",
              table)[0]
            .as<std::string>();
    return absl::StrCat("UPDATE ", table, " SET ", column, " = ", column, " WHERE false");
  }

  // Runs `sql` as `role` in a savepoint of the open transaction: "" when it succeeded, or
  // the error's SQLSTATE (its message when it has none).
  static std::string TryAs(pqxx::nontransaction& tx, const std::string& role,
                           const std::string& sql) {
    tx.exec("SAVEPOINT attempt");
    std::string state;
    try {
      if (!role.empty()) tx.exec(absl::StrCat("SET LOCAL ROLE ", role));
      tx.exec(sql);
    } catch (const pqxx::insufficient_privilege&) {
      state = kPermissionDenied;  // libpqxx 6.4 leaves this one's sqlstate() empty
    } catch (const pqxx::sql_error& e) {
      state = e.sqlstate().empty() ? e.what() : e.sqlstate();
    }
    tx.exec("ROLLBACK TO SAVEPOINT attempt");
    return state;
  }

  static testing::TestDatabase* db_;
};

testing::TestDatabase* ServiceRolesTest::db_ = nullptr;

TEST_F(ServiceRolesTest, EachRoleHoldsExactlyThePrivilegesItsJobNeeds) {
  pqxx::connection connection(db_->url());
  pqxx::nontransaction tx(connection);
  for (const auto& [role, grants] : ExpectedGrants()) {
    for (const std::string& table : Tables()) {
      const auto granted = grants.find(table);
      for (const std::string& privilege : kPrivileges) {
        const bool expected = granted != grants.end() && granted->second.count(privilege) != 0;
        EXPECT_EQ(
            tx.exec_params1("SELECT has_table_privilege($1, $2, $3)", role, table, privilege)[0]
                .as<bool>(),
            expected)
            << role << " " << privilege << " on " << table;
      }
    }
  }
}

TEST_F(ServiceRolesTest, EveryOtherReadOrWriteIsRefusedEvenWithoutTheEventTriggers) {
  pqxx::connection connection(db_->url());
  pqxx::nontransaction tx(connection);
  tx.exec("BEGIN");
  // Without them the owner may change events: what stops a service role is its grants.
  tx.exec("DROP TRIGGER events_immutable ON events; DROP TRIGGER events_no_truncate ON events");
  int refused = 0;
  for (const auto& [role, grants] : ExpectedGrants()) {
    for (const std::string& table : Tables()) {
      const auto granted = grants.find(table);
      for (const std::string& privilege : kPrivileges) {
        if (granted != grants.end() && granted->second.count(privilege) != 0) continue;
        const std::string sql = Statement(tx, privilege, table);
        if (privilege != "TRUNCATE") {  // the owner's TRUNCATE would empty the table
          ASSERT_EQ(TryAs(tx, "", sql), "") << "the owner could not run: " << sql;
        }
        EXPECT_EQ(TryAs(tx, role, sql), kPermissionDenied) << role << ": " << sql;
        ++refused;
      }
    }
  }
  tx.exec("ROLLBACK");
  EXPECT_GT(refused, 300);
  EXPECT_EQ(db_->Query("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'events'::regclass"
                       " AND NOT tgisinternal"),
            "2");
}

TEST_F(ServiceRolesTest, TheQueryRoleChangesOnlyTheRuntimeColumnsItsAdminCallsRequest) {
  pqxx::connection connection(db_->url());
  pqxx::nontransaction tx(connection);
  tx.exec("BEGIN");
  for (const char* allowed :
       {"UPDATE projection_checkpoints SET rebuild_requested_at = now() WHERE false",
        "UPDATE dead_letters SET status = 'discarded', discard_reason = 'r', resolved_at = now()"
        " WHERE false"}) {
    EXPECT_EQ(TryAs(tx, "ordo_query", allowed), "") << allowed;
  }
  for (const char* refused : {"UPDATE projection_checkpoints SET global_position = 0 WHERE false",
                              "UPDATE projection_checkpoints SET state = 'rebuilding' WHERE false",
                              "UPDATE dead_letters SET error = '' WHERE false",
                              "UPDATE dead_letters SET global_position = 0 WHERE false"}) {
    EXPECT_EQ(TryAs(tx, "ordo_query", refused), kPermissionDenied) << refused;
  }
  tx.exec("ROLLBACK");
}

TEST_F(ServiceRolesTest, NoServiceRoleOwnsOrMakesATableAndSamplersSeeEveryTransaction) {
  pqxx::connection connection(db_->url());
  pqxx::nontransaction tx(connection);
  tx.exec("BEGIN");
  for (const auto& [role, grants] : ExpectedGrants()) {
    EXPECT_EQ(TryAs(tx, role, "CREATE TABLE made_by_a_service (id int)"), kPermissionDenied)
        << role;
    EXPECT_EQ(tx.exec_params1("SELECT count(*) FROM pg_class WHERE relowner = $1::regrole", role)[0]
                  .as<int>(),
              0)
        << role;
    EXPECT_FALSE(
        tx.exec_params1("SELECT rolcanlogin OR rolsuper FROM pg_roles WHERE rolname = $1", role)[0]
            .as<bool>())
        << role;
    // The runners' samplers report the oldest open transaction of the cluster.
    const bool samples = role != "ordo_command" && role != "ordo_notify";
    EXPECT_EQ(tx.exec_params1("SELECT pg_has_role($1, 'pg_monitor', 'MEMBER')", role)[0].as<bool>(),
              samples)
        << role;
  }
  tx.exec("ROLLBACK");
}

}  // namespace
}  // namespace ordo::store
