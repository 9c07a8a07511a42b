// Migrator against a real PostgreSQL: applies in order once, is a no-op the second time,
// refuses edited or missing migrations before applying anything, is safe to run
// concurrently, and the files also apply with plain psql.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "store/pg/migrator.h"
#include "support/test_database.h"

namespace ordo::store {
namespace {

namespace fs = std::filesystem;

// A scratch copy of migrations/ that a test may edit.
class ScratchMigrations {
 public:
  ScratchMigrations() {
    dir_ = fs::temp_directory_path() /
           absl::StrCat("ordo-migrations-", ::testing::UnitTest::GetInstance()->random_seed(), "-",
                        reinterpret_cast<uintptr_t>(this));
    fs::create_directories(dir_);
    for (const auto& entry : fs::directory_iterator(testing::MigrationsDir())) {
      fs::copy_file(entry.path(), dir_ / entry.path().filename());
    }
  }
  ~ScratchMigrations() { fs::remove_all(dir_); }

  std::string path() const { return dir_.string(); }
  void Write(const std::string& name, const std::string& sql) {
    std::ofstream(dir_ / name, std::ios::app) << sql;
  }
  std::vector<MigrationFile> Load() const {
    absl::StatusOr<std::vector<MigrationFile>> files = LoadMigrations(path());
    EXPECT_TRUE(files.ok()) << files.status();
    return files.ok() ? *files : std::vector<MigrationFile>{};
  }

 private:
  fs::path dir_;
};

size_t FileCount() {
  absl::StatusOr<std::vector<MigrationFile>> files = LoadMigrations(testing::MigrationsDir());
  return files.ok() ? files->size() : 0;
}

TEST(Migrator, LoadsFilesInVersionOrder) {
  absl::StatusOr<std::vector<MigrationFile>> files = LoadMigrations(testing::MigrationsDir());
  ASSERT_TRUE(files.ok()) << files.status();
  ASSERT_GE(files->size(), 2u);
  EXPECT_EQ((*files)[0].name, "0001_create_events.sql");
  for (size_t i = 1; i < files->size(); ++i)
    EXPECT_LT((*files)[i - 1].version, (*files)[i].version);
}

TEST(Migrator, RefusesBadlyNamedFilesAndMissingFolders) {
  ScratchMigrations scratch;
  scratch.Write("3_oops.sql", "SELECT 1;");
  EXPECT_EQ(LoadMigrations(scratch.path()).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(LoadMigrations("/nonexistent/ordo").status().code(), absl::StatusCode::kNotFound);
}

TEST(Migrator, AppliesEveryFileOnceAndRecordsIt) {
  testing::TestDatabase db(/*migrate=*/false);
  ScratchMigrations scratch;
  absl::StatusOr<MigrationReport> report = Migrate(db.url(), scratch.Load());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->applied.size(), FileCount());
  EXPECT_EQ(report->already_applied, 0);
  EXPECT_EQ(db.Query("SELECT count(*) FROM schema_migrations"), std::to_string(FileCount()));
  EXPECT_EQ(db.Query("SELECT name FROM schema_migrations WHERE version = 1"),
            "0001_create_events.sql");
  EXPECT_EQ(db.Query("SELECT length(checksum) FROM schema_migrations WHERE version = 1"), "64");
  EXPECT_EQ(db.Query("SELECT count(*) FROM schema_migrations WHERE applied_at IS NULL"), "0");
  EXPECT_EQ(db.Query("SELECT to_regclass('events') IS NOT NULL"), "t");
}

TEST(Migrator, SecondRunIsANoOp) {
  testing::TestDatabase db(/*migrate=*/false);
  ScratchMigrations scratch;
  ASSERT_TRUE(Migrate(db.url(), scratch.Load()).ok());
  const std::string applied_at = db.Query("SELECT max(applied_at)::text FROM schema_migrations");
  absl::StatusOr<MigrationReport> again = Migrate(db.url(), scratch.Load());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->applied.empty());
  EXPECT_EQ(again->already_applied, static_cast<int>(FileCount()));
  EXPECT_EQ(db.Query("SELECT max(applied_at)::text FROM schema_migrations"), applied_at);
}

TEST(Migrator, AppliesOnlyTheNewFile) {
  testing::TestDatabase db(/*migrate=*/false);
  ScratchMigrations scratch;
  ASSERT_TRUE(Migrate(db.url(), scratch.Load()).ok());
  scratch.Write("0999_add_table.sql", "CREATE TABLE migrator_probe (id int);");
  absl::StatusOr<MigrationReport> report = Migrate(db.url(), scratch.Load());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->applied, std::vector<std::string>{"0999_add_table.sql"});
  EXPECT_EQ(db.Query("SELECT to_regclass('migrator_probe') IS NOT NULL"), "t");
}

TEST(Migrator, RefusesAnEditedMigrationAndAppliesNothing) {
  testing::TestDatabase db(/*migrate=*/false);
  ScratchMigrations scratch;
  ASSERT_TRUE(Migrate(db.url(), scratch.Load()).ok());
  scratch.Write("0001_create_events.sql", "\n-- an innocent-looking edit\n");
  scratch.Write("0999_add_table.sql", "CREATE TABLE migrator_probe (id int);");
  absl::StatusOr<MigrationReport> report = Migrate(db.url(), scratch.Load());
  EXPECT_EQ(report.status().code(), absl::StatusCode::kFailedPrecondition) << report.status();
  EXPECT_NE(report.status().message().find("0001_create_events.sql was edited"), std::string::npos)
      << report.status();
  EXPECT_EQ(db.Query("SELECT to_regclass('migrator_probe') IS NULL"), "t");
}

TEST(Migrator, RefusesWhenAnAppliedFileIsMissing) {
  testing::TestDatabase db(/*migrate=*/false);
  ScratchMigrations scratch;
  ASSERT_TRUE(Migrate(db.url(), scratch.Load()).ok());
  fs::remove(fs::path(scratch.path()) / "0002_create_command_requests.sql");
  EXPECT_EQ(Migrate(db.url(), scratch.Load()).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(Migrator, AFailingMigrationNamesItsFileAndLeavesNoTrace) {
  testing::TestDatabase db(/*migrate=*/false);
  ScratchMigrations scratch;
  scratch.Write("0999_broken.sql", "CREATE TABLE half_done (id int); SELECT no_such_column;");
  absl::StatusOr<MigrationReport> report = Migrate(db.url(), scratch.Load());
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().message().find("0999_broken.sql"), std::string::npos)
      << report.status();
  EXPECT_EQ(db.Query("SELECT to_regclass('half_done') IS NULL"), "t");
  EXPECT_EQ(db.Query("SELECT count(*) FROM schema_migrations WHERE version = 999"), "0");
}

TEST(Migrator, ConcurrentRunsApplyEachFileOnce) {
  testing::TestDatabase db(/*migrate=*/false);
  ScratchMigrations scratch;
  const std::vector<MigrationFile> files = scratch.Load();
  std::vector<absl::StatusOr<MigrationReport>> reports(4, absl::UnknownError("not run"));
  std::vector<std::thread> threads;
  for (auto& report : reports) {
    threads.emplace_back([&] { report = Migrate(db.url(), files); });
  }
  for (auto& t : threads) t.join();
  size_t applied = 0;
  for (const auto& report : reports) {
    ASSERT_TRUE(report.ok()) << report.status();
    applied += report->applied.size();
  }
  EXPECT_EQ(applied, files.size());
  EXPECT_EQ(db.Query("SELECT count(*) FROM schema_migrations"), std::to_string(files.size()));
}

TEST(Migrator, FilesApplyWithPlainPsqlInOrderTwice) {
  testing::TestDatabase db(/*migrate=*/false);
  const std::string command = absl::StrCat(
      "for f in ", testing::MigrationsDir(),
      "/*.sql; do PGOPTIONS='-c client_min_messages=warning' psql -q -X -v ON_ERROR_STOP=1 '",
      db.url(), "' -f \"$f\" >/dev/null || exit 1; done");
  ASSERT_EQ(std::system(command.c_str()), 0);
  ASSERT_EQ(std::system(command.c_str()), 0) << "the migrations are not safe to apply twice";
  EXPECT_EQ(db.Query("SELECT to_regclass('events') IS NOT NULL AND "
                     "to_regclass('command_requests') IS NOT NULL"),
            "t");
}

}  // namespace
}  // namespace ordo::store
