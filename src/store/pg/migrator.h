// Schema migrations: applies migrations/NNNN_name.sql files in order, each in its own
// transaction, recorded in schema_migrations (version, name, checksum, applied_at), under a
// session advisory lock so concurrent runs are safe. An applied file that was edited,
// renamed or removed is refused before anything is applied.
#ifndef ORDO_STORE_PG_MIGRATOR_H_
#define ORDO_STORE_PG_MIGRATOR_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace ordo::store {

struct MigrationFile {
  int version = 0;   // NNNN
  std::string name;  // the file name, e.g. "0001_create_events.sql"
  std::string sql;
};

struct MigrationReport {
  std::vector<std::string> applied;  // names applied by this run, in order
  int already_applied = 0;
};

// Reads every NNNN_*.sql file of `directory`, sorted by version. INVALID_ARGUMENT for a
// badly named .sql file or two files with one version; NOT_FOUND for a missing directory.
absl::StatusOr<std::vector<MigrationFile>> LoadMigrations(const std::string& directory);

// Brings the database at `database_url` up to date with `migrations`.
// FAILED_PRECONDITION when an applied migration no longer matches its file.
absl::StatusOr<MigrationReport> Migrate(const std::string& database_url,
                                        const std::vector<MigrationFile>& migrations);

}  // namespace ordo::store

#endif  // ORDO_STORE_PG_MIGRATOR_H_
