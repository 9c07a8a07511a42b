// A bounded, least-recently-used cache of Order aggregates in their last committed state,
// keyed by order id. Lets a command skip reading the stream: the append still names the
// version it builds on, so a stale entry only costs a conflict and a reload. Thread-safe.
#ifndef ORDO_COMMAND_AGGREGATE_CACHE_H_
#define ORDO_COMMAND_AGGREGATE_CACHE_H_

#include <list>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "command/domain/order.h"

namespace ordo::command {

class AggregateCache {
 public:
  // `capacity` 0 disables the cache.
  explicit AggregateCache(size_t capacity) : capacity_(capacity) {}
  AggregateCache(const AggregateCache&) = delete;
  AggregateCache& operator=(const AggregateCache&) = delete;

  std::optional<domain::Order> Get(const std::string& order_id);
  // `order` must be committed state.
  void Put(const domain::Order& order);
  void Erase(const std::string& order_id);

 private:
  using Entries = std::list<domain::Order>;  // most recently used first
  const size_t capacity_;
  absl::Mutex mu_;
  Entries entries_ ABSL_GUARDED_BY(mu_);
  std::unordered_map<std::string, Entries::iterator> index_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ordo::command

#endif  // ORDO_COMMAND_AGGREGATE_CACHE_H_
