// Schema migrations: ordered, checksummed, recorded, and serialised by an advisory lock.
#include "store/pg/migrator.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "store/pg/pg_status.h"

namespace ordo::store {
namespace {

// Arbitrary constant shared by every ordo-migrate run ("ordo-mig" in ASCII).
constexpr char kLockKey[] = "7984668077189634407";

constexpr char kCreateSchemaMigrations[] = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version    integer     PRIMARY KEY,
  name       text        NOT NULL,
  checksum   text        NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)
)sql";

constexpr char kChecksumSql[] = "SELECT encode(sha256(convert_to($1::text, 'UTF8')), 'hex')";

// Unlocks the session advisory lock on scope exit, also on error paths.
class AdvisoryLockGuard {
 public:
  explicit AdvisoryLockGuard(pqxx::connection& connection) : connection_(connection) {}
  ~AdvisoryLockGuard() {
    try {
      pqxx::nontransaction tx(connection_);
      tx.exec(absl::StrCat("SELECT pg_advisory_unlock(", kLockKey, ")"));
    } catch (...) {
      // The lock dies with the session anyway.
    }
  }
  AdvisoryLockGuard(const AdvisoryLockGuard&) = delete;
  AdvisoryLockGuard& operator=(const AdvisoryLockGuard&) = delete;

 private:
  pqxx::connection& connection_;
};

// "0001_create_events.sql" -> 1; -1 when the name is not NNNN_<something>.sql.
int VersionOf(const std::string& file_name) {
  if (file_name.size() < 10 || file_name.compare(file_name.size() - 4, 4, ".sql") != 0 ||
      file_name[4] != '_') {
    return -1;
  }
  if (!std::all_of(file_name.begin(), file_name.begin() + 4,
                   [](unsigned char c) { return std::isdigit(c); })) {
    return -1;
  }
  return std::stoi(file_name.substr(0, 4));
}

}  // namespace

absl::StatusOr<std::vector<MigrationFile>> LoadMigrations(const std::string& directory) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (!fs::is_directory(directory, error)) {
    return absl::NotFoundError(absl::StrCat("migrations directory ", directory, " not found"));
  }
  std::map<int, MigrationFile> by_version;
  for (const fs::directory_entry& entry : fs::directory_iterator(directory)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".sql") continue;
    const int version = VersionOf(name);
    if (version < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("migration file ", name, ": expected NNNN_name.sql"));
    }
    std::ifstream in(entry.path());
    std::stringstream content;
    content << in.rdbuf();
    if (!in) return absl::InternalError(absl::StrCat("cannot read ", entry.path().string()));
    auto [it, inserted] = by_version.emplace(version, MigrationFile{version, name, content.str()});
    if (!inserted) {
      return absl::InvalidArgumentError(
          absl::StrCat("migration files ", it->second.name, " and ", name, " share a version"));
    }
  }
  std::vector<MigrationFile> migrations;
  for (auto& [version, file] : by_version) migrations.push_back(std::move(file));
  return migrations;
}

absl::StatusOr<MigrationReport> Migrate(const std::string& database_url,
                                        const std::vector<MigrationFile>& migrations) {
  return GuardPq("migrate", [&]() -> absl::StatusOr<MigrationReport> {
    pqxx::connection connection(database_url);
    {
      pqxx::nontransaction tx(connection);
      tx.exec(absl::StrCat("SELECT pg_advisory_lock(", kLockKey, ")"));
    }
    AdvisoryLockGuard unlock(connection);
    {
      pqxx::work tx(connection);
      tx.exec(kCreateSchemaMigrations);
      tx.commit();
    }

    struct Applied {
      std::string name;
      std::string checksum;
    };
    std::map<int, Applied> applied;
    std::map<int, std::string> checksums;  // of the files
    {
      pqxx::nontransaction tx(connection);
      for (const pqxx::row& row :
           tx.exec("SELECT version, name, checksum FROM schema_migrations")) {
        applied[row[0].as<int>()] = Applied{row[1].as<std::string>(), row[2].as<std::string>()};
      }
      for (const MigrationFile& file : migrations) {
        checksums[file.version] = tx.exec_params1(kChecksumSql, file.sql)[0].as<std::string>();
      }
    }

    // Refuse before applying anything: every applied migration must still match its file.
    MigrationReport report;
    for (const auto& [version, record] : applied) {
      // A structured binding cannot be captured in C++17 (clang refuses): capture a copy.
      const auto applied_version = version;
      auto file = std::find_if(migrations.begin(), migrations.end(), [&](const MigrationFile& f) {
        return f.version == applied_version;
      });
      if (file == migrations.end()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "migration ", record.name, " was applied but its file is missing; restore it"));
      }
      if (file->name != record.name || checksums[version] != record.checksum) {
        return absl::FailedPreconditionError(absl::StrCat(
            "migration ", file->name, " was edited after it was applied (applied as ", record.name,
            ", checksum ", record.checksum, ", file now ", checksums[version],
            "); migrations are forward-only: restore the file and add a new one"));
      }
      ++report.already_applied;
    }

    for (const MigrationFile& file : migrations) {
      if (applied.count(file.version) != 0) continue;
      ORDO_RETURN_IF_ERROR(GuardPq(file.name, [&]() -> absl::Status {
        pqxx::work tx(connection);
        tx.exec(file.sql, file.name);
        tx.exec_params(
            "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
            file.version, file.name, checksums[file.version]);
        tx.commit();
        return absl::OkStatus();
      }));
      report.applied.push_back(file.name);
    }
    return report;
  });
}

}  // namespace ordo::store
