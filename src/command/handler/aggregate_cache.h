// A bounded, least-recently-used cache of aggregates in their last committed state (with
// the log position of their last event), keyed by stream id. Lets a command skip reading
// its stream: the append still names the version it builds on, so a stale entry only
// costs a conflict and a reload. Thread-safe; an entry handed out may be changed in place
// only by the holder of its stream's turn (StreamTurns), which is the only one using it.
#ifndef ORDO_COMMAND_HANDLER_AGGREGATE_CACHE_H_
#define ORDO_COMMAND_HANDLER_AGGREGATE_CACHE_H_

#include <list>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "store/log/log_position.h"

namespace ordo::command {

template <typename State>
struct Loaded {
  State state;
  store::LogPosition position;   // of the event at state.version
  int32_t snapshot_version = 0;  // the version of the stream's newest snapshot known here
};

template <typename State>
class AggregateCache {
 public:
  using Entry = std::shared_ptr<Loaded<State>>;

  // `capacity` 0 disables the cache.
  explicit AggregateCache(size_t capacity) : capacity_(capacity) {}
  AggregateCache(const AggregateCache&) = delete;
  AggregateCache& operator=(const AggregateCache&) = delete;

  // nullptr when absent.
  Entry Get(const std::string& stream_id) {
    absl::MutexLock lock(&mu_);
    auto it = index_.find(stream_id);
    if (it == index_.end()) return nullptr;
    entries_.splice(entries_.begin(), entries_, it->second);
    return it->second->second;
  }

  // `entry` must hold committed state.
  void Put(const std::string& stream_id, Entry entry) {
    if (capacity_ == 0) return;
    absl::MutexLock lock(&mu_);
    auto it = index_.find(stream_id);
    if (it != index_.end()) {
      it->second->second = std::move(entry);
      entries_.splice(entries_.begin(), entries_, it->second);
      return;
    }
    entries_.emplace_front(stream_id, std::move(entry));
    index_[stream_id] = entries_.begin();
    if (entries_.size() > capacity_) {
      index_.erase(entries_.back().first);
      entries_.pop_back();
    }
  }

  void Erase(const std::string& stream_id) {
    absl::MutexLock lock(&mu_);
    auto it = index_.find(stream_id);
    if (it == index_.end()) return;
    entries_.erase(it->second);
    index_.erase(it);
  }

 private:
  using Entries = std::list<std::pair<std::string, Entry>>;  // most recently used first
  const size_t capacity_;
  absl::Mutex mu_;
  Entries entries_ ABSL_GUARDED_BY(mu_);
  std::unordered_map<std::string, typename Entries::iterator> index_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ordo::command

#endif  // ORDO_COMMAND_HANDLER_AGGREGATE_CACHE_H_
