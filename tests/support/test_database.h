// A fresh, migrated PostgreSQL database for one test binary, created on the server named
// by ORDO_TEST_DATABASE_URL (a key=value connection string; ./dev test sets it) and
// dropped when the object dies; with login roles for the services that use it.
#ifndef ORDO_TESTS_SUPPORT_TEST_DATABASE_H_
#define ORDO_TESTS_SUPPORT_TEST_DATABASE_H_

#include <string>
#include <vector>

namespace ordo::testing {

class TestDatabase {
 public:
  // Creates the database; `migrate` applies migrations/ to it. Aborts the test binary with
  // a clear message when ORDO_TEST_DATABASE_URL is missing or the server is unreachable.
  explicit TestDatabase(bool migrate = true);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  // Connection string of the new database, as the user that made it (the tables' owner).
  const std::string& url() const { return url_; }
  // The same as a login role that has only the named service roles (DESIGN §14), e.g.
  // {"ordo_command"}: how the tests run every service. The login is made on first use.
  std::string ServiceUrl(const std::vector<std::string>& service_roles) const;
  const std::string& name() const { return name_; }
  // The server's port (for proxies and URLs).
  int port() const;

  // Runs one SQL statement on the database and returns the first column of the first row
  // ("" when there is none). Throws on SQL errors.
  std::string Query(const std::string& sql) const;

 private:
  std::string admin_url_;
  std::string name_;
  std::string url_;
};

// The migrations folder of the source tree.
std::string MigrationsDir();

}  // namespace ordo::testing

#endif  // ORDO_TESTS_SUPPORT_TEST_DATABASE_H_
