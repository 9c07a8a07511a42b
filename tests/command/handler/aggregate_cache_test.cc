// Tests of the aggregate cache: least-recently-used eviction at capacity, entries shared
// (changed in place by the stream's turn holder), erase, and capacity 0 caching nothing.
#include "command/handler/aggregate_cache.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace ordo::command {
namespace {

struct State {
  int value = 0;
  int32_t version = 0;
};

std::shared_ptr<Loaded<State>> Entry(int value) {
  auto entry = std::make_shared<Loaded<State>>();
  entry->state.value = value;
  return entry;
}

TEST(AggregateCache, ReturnsWhatWasPutAndNullForTheRest) {
  AggregateCache<State> cache(4);
  cache.Put("a", Entry(1));
  ASSERT_NE(cache.Get("a"), nullptr);
  EXPECT_EQ(cache.Get("a")->state.value, 1);
  EXPECT_EQ(cache.Get("b"), nullptr);
}

TEST(AggregateCache, EvictsTheLeastRecentlyUsed) {
  AggregateCache<State> cache(2);
  cache.Put("a", Entry(1));
  cache.Put("b", Entry(2));
  ASSERT_NE(cache.Get("a"), nullptr);  // a is now the most recent
  cache.Put("c", Entry(3));
  EXPECT_NE(cache.Get("a"), nullptr);
  EXPECT_EQ(cache.Get("b"), nullptr);
  EXPECT_NE(cache.Get("c"), nullptr);
}

TEST(AggregateCache, HandsOutTheEntryItselfSoItsHolderMovesItOn) {
  AggregateCache<State> cache(2);
  cache.Put("a", Entry(1));
  cache.Get("a")->state.value = 5;
  EXPECT_EQ(cache.Get("a")->state.value, 5);
  cache.Put("a", Entry(7));  // replaced, and still one entry
  cache.Put("b", Entry(8));
  EXPECT_EQ(cache.Get("a")->state.value, 7);
  EXPECT_NE(cache.Get("b"), nullptr);
}

TEST(AggregateCache, EraseForgetsAndAnEvictedEntryStaysValidForItsHolder) {
  AggregateCache<State> cache(1);
  cache.Put("a", Entry(1));
  auto held = cache.Get("a");
  cache.Put("b", Entry(2));  // evicts a
  EXPECT_EQ(cache.Get("a"), nullptr);
  EXPECT_EQ(held->state.value, 1);
  cache.Erase("b");
  EXPECT_EQ(cache.Get("b"), nullptr);
}

TEST(AggregateCache, CapacityZeroCachesNothing) {
  AggregateCache<State> cache(0);
  cache.Put("a", Entry(1));
  EXPECT_EQ(cache.Get("a"), nullptr);
}

}  // namespace
}  // namespace ordo::command
