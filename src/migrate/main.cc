// ordo-migrate: applies migrations/NNNN_*.sql to a database, in order, once each.
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/config.h"
#include "common/log.h"
#include "store/pg/migrator.h"

ABSL_FLAG(std::string, database_url, "",
          "PostgreSQL URL or connection string (env ORDO_DATABASE_URL)");
ABSL_FLAG(std::string, migrations_dir, "",
          "folder of NNNN_name.sql files (env ORDO_MIGRATIONS_DIR; default ./migrations)");

int main(int argc, char** argv) {
  ordo::SetLogProgramName("ordo-migrate");
  absl::SetProgramUsageMessage("Applies Ordo's SQL migrations in order.");
  absl::ParseCommandLine(argc, argv);
  const std::string database_url =
      ordo::FlagOrEnv(absl::GetFlag(FLAGS_database_url), "ORDO_DATABASE_URL");
  const std::string directory =
      ordo::FlagOrEnv(absl::GetFlag(FLAGS_migrations_dir), "ORDO_MIGRATIONS_DIR", "migrations");
  if (database_url.empty()) {
    ordo::LogLine("error: --database_url (or ORDO_DATABASE_URL) is required");
    return 1;
  }
  absl::StatusOr<std::vector<ordo::store::MigrationFile>> migrations =
      ordo::store::LoadMigrations(directory);
  if (!migrations.ok()) {
    ordo::LogLine(absl::StrCat("error: ", migrations.status().message()));
    return 1;
  }
  absl::StatusOr<ordo::store::MigrationReport> report =
      ordo::store::Migrate(database_url, *migrations);
  if (!report.ok()) {
    ordo::LogLine(absl::StrCat("error: ", report.status().message()));
    return 1;
  }
  ordo::LogLine(report->applied.empty()
                    ? absl::StrCat("up to date (", report->already_applied, " applied before)")
                    : absl::StrCat("applied ", absl::StrJoin(report->applied, ", "), " (",
                                   report->already_applied, " applied before)"));
  return 0;
}
