// A fresh, migrated PostgreSQL database for one test binary.
#include "support/test_database.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <regex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/ids.h"
#include "store/pg/migrator.h"

namespace ordo::testing {

std::string MigrationsDir() { return absl::StrCat(ORDO_SOURCE_DIR, "/migrations"); }

TestDatabase::TestDatabase(bool migrate) {
  const char* admin = std::getenv("ORDO_TEST_DATABASE_URL");
  if (admin == nullptr || *admin == '\0') {
    std::fprintf(stderr,
                 "ORDO_TEST_DATABASE_URL is not set: run the tests with ./dev test, or set it "
                 "to a key=value connection string of a PostgreSQL server you can create "
                 "databases on\n");
    std::abort();
  }
  admin_url_ = admin;
  name_ = absl::StrCat("ordo_test_", getpid(), "_", NewUuid().substr(0, 8));
  url_ = absl::StrCat(admin_url_, " dbname=", name_);
  {
    pqxx::connection connection(admin_url_);
    pqxx::nontransaction tx(connection);
    tx.exec(absl::StrCat("CREATE DATABASE ", name_));
  }
  if (migrate) {
    auto migrations = store::LoadMigrations(MigrationsDir());
    auto report = migrations.ok() ? store::Migrate(url_, *migrations)
                                  : absl::StatusOr<store::MigrationReport>(migrations.status());
    if (!report.ok()) {
      std::fprintf(stderr, "migrating the test database failed: %s\n",
                   report.status().ToString().c_str());
      std::abort();
    }
  }
}

TestDatabase::~TestDatabase() {
  try {
    pqxx::connection connection(admin_url_);
    pqxx::nontransaction tx(connection);
    tx.exec(absl::StrCat("DROP DATABASE IF EXISTS ", name_, " WITH (FORCE)"));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dropping %s failed: %s\n", name_.c_str(), e.what());
  }
}

std::string TestDatabase::ServiceUrl(const std::vector<std::string>& service_roles) const {
  std::vector<std::string> parts;
  for (const std::string& role : service_roles) {
    parts.push_back(std::string(absl::StripPrefix(role, "ordo_")));
  }
  const std::string login = absl::StrCat("ordo_", absl::StrJoin(parts, "_"), "_login");
  // Roles belong to the cluster, which test binaries running side by side share: the one
  // that loses the race to make the login finds it made.
  pqxx::connection connection(admin_url_);
  pqxx::nontransaction tx(connection);
  tx.exec(absl::StrCat("DO $$ BEGIN CREATE ROLE ", login, " LOGIN IN ROLE ",
                       absl::StrJoin(service_roles, ", "),
                       "; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"));
  return absl::StrCat(url_, " user=", login);
}

int TestDatabase::port() const {
  std::smatch match;
  if (std::regex_search(admin_url_, match, std::regex("port=([0-9]+)"))) {
    return std::stoi(match[1]);
  }
  return 5432;
}

std::string TestDatabase::Query(const std::string& sql) const {
  pqxx::connection connection(url_);
  pqxx::nontransaction tx(connection);
  pqxx::result result = tx.exec(sql);
  if (result.empty() || result.columns() == 0 || result[0][0].is_null()) return "";
  return result[0][0].as<std::string>();
}

}  // namespace ordo::testing
