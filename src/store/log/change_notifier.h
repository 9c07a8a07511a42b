// Wakes projectors after commits: NOTIFY on the `ordo_events` channel, sent from outside
// the append transaction (NOTIFY inside one takes a cluster-wide lock at commit and
// serialises writers) and coalesced: any number of Notify() calls while one NOTIFY is on
// its way add up to at most one more. The payload names the stream types and event types
// appended (store/log/wakeup_payload.h), so a subscriber of others can sleep on.
// Owns a background thread and one connection.
#ifndef ORDO_STORE_LOG_CHANGE_NOTIFIER_H_
#define ORDO_STORE_LOG_CHANGE_NOTIFIER_H_

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace ordo::store {

inline constexpr char kEventsChannel[] = "ordo_events";

class ChangeNotifier {
 public:
  explicit ChangeNotifier(std::string connection_string);
  ~ChangeNotifier();
  ChangeNotifier(const ChangeNotifier&) = delete;
  ChangeNotifier& operator=(const ChangeNotifier&) = delete;

  // Asks for a NOTIFY soon about events of `stream_type` (empty: of any type) and of
  // `event_types` (empty: of any type); never blocks on the database. Thread-safe.
  void Notify(const std::string& stream_type = "",
              const std::vector<std::string>& event_types = {});

 private:
  void Run();

  const std::string connection_string_;
  absl::Mutex mu_;
  bool pending_ ABSL_GUARDED_BY(mu_) = false;
  std::set<std::string> pending_types_ ABSL_GUARDED_BY(mu_);
  bool pending_any_type_ ABSL_GUARDED_BY(mu_) = false;
  std::set<std::string> pending_event_types_ ABSL_GUARDED_BY(mu_);
  bool pending_any_event_type_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace ordo::store

#endif  // ORDO_STORE_LOG_CHANGE_NOTIFIER_H_
