// A bounded LRU cache of Order aggregates in their last committed state.
#include "command/aggregate_cache.h"

namespace ordo::command {

std::optional<domain::Order> AggregateCache::Get(const std::string& order_id) {
  absl::MutexLock lock(&mu_);
  auto it = index_.find(order_id);
  if (it == index_.end()) return std::nullopt;
  entries_.splice(entries_.begin(), entries_, it->second);
  return *it->second;
}

void AggregateCache::Put(const domain::Order& order) {
  if (capacity_ == 0) return;
  absl::MutexLock lock(&mu_);
  auto it = index_.find(order.order_id);
  if (it != index_.end()) {
    *it->second = order;
    entries_.splice(entries_.begin(), entries_, it->second);
    return;
  }
  entries_.push_front(order);
  index_[order.order_id] = entries_.begin();
  if (entries_.size() > capacity_) {
    index_.erase(entries_.back().order_id);
    entries_.pop_back();
  }
}

void AggregateCache::Erase(const std::string& order_id) {
  absl::MutexLock lock(&mu_);
  auto it = index_.find(order_id);
  if (it == index_.end()) return;
  entries_.erase(it->second);
  index_.erase(it);
}

}  // namespace ordo::command
