// Cancels statements whose call's deadline passed.
#include "store/pg/statement_watchdog.h"

#include <exception>
#include <vector>

#include "absl/time/clock.h"
#include "common/metrics.h"

namespace ordo::store {

struct StatementWatchdog::Entry {
  absl::Mutex mu;
  pqxx::connection* connection ABSL_GUARDED_BY(mu);  // null once disarmed
  // Where it is in armed_, while it is there (guarded by the watchdog's mu_).
  std::multimap<absl::Time, std::shared_ptr<Entry>>::iterator position;
  bool in_map = false;
};

namespace {

prometheus::Counter& Cancelled() {
  static prometheus::Counter& counter =
      AddCounter("ordo_db_statements_cancelled_total",
                 "Statements cancelled in PostgreSQL because their call's deadline passed.");
  return counter;
}

// Far-off deadlines (a maintenance task's) are not worth a watch.
constexpr absl::Duration kLongestWatched = absl::Hours(1);

}  // namespace

StatementWatchdog& StatementWatchdog::Get() {
  static StatementWatchdog* watchdog = new StatementWatchdog();
  return *watchdog;
}

StatementWatchdog::StatementWatchdog() {
  Cancelled();
  thread_ = std::thread([this] { Run(); });
  thread_.detach();  // lives as long as the process
}

StatementWatchdog::Watch StatementWatchdog::Arm(pqxx::connection& connection, absl::Time deadline) {
  if (deadline - absl::Now() > kLongestWatched) return Watch();
  auto entry = std::make_shared<Entry>();
  {
    absl::MutexLock lock(&entry->mu);
    entry->connection = &connection;
  }
  absl::MutexLock lock(&mu_);
  if (armed_.empty() || deadline < armed_.begin()->first) earlier_ = true;
  entry->position = armed_.emplace(deadline, entry);
  entry->in_map = true;
  return Watch(std::move(entry));
}

StatementWatchdog::Watch& StatementWatchdog::Watch::operator=(Watch&& other) noexcept {
  if (this != &other) {
    Disarm();
    entry_ = std::move(other.entry_);
  }
  return *this;
}

StatementWatchdog::Watch::~Watch() { Disarm(); }

void StatementWatchdog::Watch::Disarm() {
  if (entry_ == nullptr) return;
  StatementWatchdog& watchdog = Get();
  {
    absl::MutexLock lock(&watchdog.mu_);
    if (entry_->in_map) {
      watchdog.armed_.erase(entry_->position);
      entry_->in_map = false;
    }
  }
  absl::MutexLock lock(&entry_->mu);  // waits for a cancel under way
  entry_->connection = nullptr;
  entry_.reset();
}

void StatementWatchdog::Run() {
  for (;;) {
    std::vector<std::shared_ptr<Entry>> due;
    {
      absl::MutexLock lock(&mu_);
      const absl::Time next = armed_.empty() ? absl::InfiniteFuture() : armed_.begin()->first;
      earlier_ = false;
      mu_.AwaitWithDeadline(absl::Condition(&earlier_), next);
      const absl::Time now = absl::Now();
      while (!armed_.empty() && armed_.begin()->first <= now) {
        std::shared_ptr<Entry> entry = armed_.begin()->second;
        armed_.erase(armed_.begin());
        entry->in_map = false;
        due.push_back(std::move(entry));
      }
    }
    for (std::shared_ptr<Entry>& entry : due) {
      std::thread([entry = std::move(entry)] {
        absl::MutexLock lock(&entry->mu);
        if (entry->connection == nullptr) return;
        try {
          // PQcancel: harmless when the statement finished meanwhile.
          entry->connection->cancel_query();
          Cancelled().Increment();
        } catch (const std::exception&) {
          // The server could not be told; the statement ends when the server answers.
        }
      }).detach();
    }
  }
}

}  // namespace ordo::store
