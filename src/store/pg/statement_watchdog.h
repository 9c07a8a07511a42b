// Cancels in PostgreSQL the statement a pooled connection runs when the deadline it was
// leased for passes (DESIGN §14): a call blocked inside the database (a row lock another
// transaction holds, a slow statement) does not run on there after its caller gave up, and
// the statement ends with SQLSTATE 57014, which GuardPq turns into DEADLINE_EXCEEDED. One
// thread watches every armed deadline; each cancel (libpq's PQcancel, which opens a
// connection of its own) runs on a thread of its own so that one that hangs holds no other.
// Thread-safe.
#ifndef ORDO_STORE_PG_STATEMENT_WATCHDOG_H_
#define ORDO_STORE_PG_STATEMENT_WATCHDOG_H_

#include <map>
#include <memory>
#include <pqxx/connection>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace ordo::store {

class StatementWatchdog {
  struct Entry;

 public:
  // Disarms when destroyed: once it is gone, nothing is cancelled on the connection. A
  // cancel already under way is waited for.
  class Watch {
   public:
    Watch() = default;
    Watch(Watch&&) noexcept = default;
    Watch& operator=(Watch&&) noexcept;
    ~Watch();

   private:
    friend class StatementWatchdog;
    explicit Watch(std::shared_ptr<Entry> entry) : entry_(std::move(entry)) {}
    void Disarm();
    std::shared_ptr<Entry> entry_;
  };

  // The process's watchdog (its thread starts on first use and runs until exit).
  static StatementWatchdog& Get();

  // Cancels what `connection` runs once `deadline` passes, for as long as the watch lives.
  // `connection` must outlive the watch.
  Watch Arm(pqxx::connection& connection, absl::Time deadline);

 private:
  StatementWatchdog();
  void Run();

  absl::Mutex mu_;
  std::multimap<absl::Time, std::shared_ptr<Entry>> armed_ ABSL_GUARDED_BY(mu_);
  // Raised when an earlier deadline than the one waited for was armed.
  bool earlier_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace ordo::store

#endif  // ORDO_STORE_PG_STATEMENT_WATCHDOG_H_
