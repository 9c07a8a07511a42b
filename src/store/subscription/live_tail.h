// One reader of the log's tail for many readers in one process (the subscription stream,
// DESIGN §12): a thread tails the whole log (LISTEN for wake-ups, a poll as safety net)
// into a window of the newest events, in tailing order and without a gap. A reader whose
// position is inside the window takes what follows from memory; one behind it reads the
// database itself (ReadTail) until it is. Listeners are called on the tail's thread after
// every read and at least every poll interval. While there are none, the tail reads
// nothing and keeps no window (head() is nullopt); the first listener starts it from the
// log's head. Thread-safe; owns a thread and a connection.
#ifndef ORDO_STORE_SUBSCRIPTION_LIVE_TAIL_H_
#define ORDO_STORE_SUBSCRIPTION_LIVE_TAIL_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <pqxx/connection>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/stop_signal.h"
#include "store/log/log_position.h"
#include "store/log/recorded_event.h"

namespace ordo::store {

struct LiveTailOptions {
  size_t window_events = 10000;  // the newest events kept in memory
  absl::Duration poll_interval = absl::Milliseconds(200);
  int batch_size = 1000;
};

// What the window holds after a position.
struct WindowRead {
  bool in_window = false;  // false: the position is older than the window (or the tail has
                           // not started): read the database
  std::vector<RecordedEvent> events;  // those that passed the filter, in tailing order
  LogPosition scanned_to;             // the reader has seen everything up to here
};

class LiveTail {
 public:
  LiveTail(std::string connection_string, LiveTailOptions options = {});
  ~LiveTail();  // stops and joins
  LiveTail(const LiveTail&) = delete;
  LiveTail& operator=(const LiveTail&) = delete;

  void Start();
  void Stop();

  // Up to `limit` events after `after` that pass `wanted`, scanning the window from there.
  WindowRead ReadAfter(const LogPosition& after, size_t limit,
                       const std::function<bool(const RecordedEvent&)>& wanted) const;

  // How far the tail has read; nullopt before its first read and while nobody listens.
  std::optional<LogPosition> head() const;

  // `listener` is called on the tail's thread until RemoveListener returns.
  uint64_t AddListener(std::function<void()> listener);
  void RemoveListener(uint64_t id);

 private:
  void Run();
  // Reads the tail into the window until it is drained.
  void ReadNew(pqxx::connection& connection);
  void CallListeners();
  bool Listened();
  // Drops the window: readers go to the database until the tail starts again.
  void Forget();

  const std::string connection_string_;
  const LiveTailOptions options_;

  mutable absl::Mutex window_mu_;
  std::deque<RecordedEvent> window_ ABSL_GUARDED_BY(window_mu_);
  // Every event after floor_ up to head_ is in the window; unset before the first read.
  std::optional<LogPosition> floor_ ABSL_GUARDED_BY(window_mu_);
  LogPosition head_ ABSL_GUARDED_BY(window_mu_);

  absl::Mutex listeners_mu_;
  std::map<uint64_t, std::function<void()>> listeners_ ABSL_GUARDED_BY(listeners_mu_);
  uint64_t next_listener_ ABSL_GUARDED_BY(listeners_mu_) = 1;

  StopSignal stop_;
  std::thread thread_;
};

}  // namespace ordo::store

#endif  // ORDO_STORE_SUBSCRIPTION_LIVE_TAIL_H_
