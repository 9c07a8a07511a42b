// Tests of the retry/park policy, without a database: narrowing a failing batch to its
// good prefix, backoff that grows to a ceiling, parking after max_attempts, and forgetting
// attempts once a batch commits.
#include "store/subscription/retry_policy.h"

#include <gtest/gtest.h>

namespace ordo::store {
namespace {

using Action = RetryDecision::Action;

RetryOptions Options() {
  RetryOptions options;
  options.batch_size = 100;
  options.max_attempts = 3;
  options.initial_backoff = absl::Milliseconds(10);
  options.max_backoff = absl::Milliseconds(25);
  return options;
}

TEST(RetryPolicy, StartsWithFullBatches) {
  RetryPolicy policy(Options());
  EXPECT_EQ(policy.next_limit(), 100);
}

TEST(RetryPolicy, AFailureNotTiedToAnEventNarrowsToOneEvent) {
  RetryPolicy policy(Options());
  RetryDecision decision = policy.OnFailure({10, 11, 12}, std::nullopt);
  EXPECT_EQ(decision.action, Action::kNarrow);
  EXPECT_EQ(policy.next_limit(), 1);
}

TEST(RetryPolicy, AFailureInsideTheBatchAppliesTheGoodPrefixFirst) {
  RetryPolicy policy(Options());
  RetryDecision decision = policy.OnFailure({10, 11, 12, 13}, 2);
  EXPECT_EQ(decision.action, Action::kNarrow);
  EXPECT_EQ(policy.next_limit(), 2);
  EXPECT_EQ(decision.attempts, 1);
}

TEST(RetryPolicy, TheFailingEventAloneIsRetriedWithGrowingBackoffThenParked) {
  RetryPolicy policy(Options());
  RetryDecision first = policy.OnFailure({12}, 0);
  EXPECT_EQ(first.action, Action::kRetry);
  EXPECT_EQ(first.backoff, absl::Milliseconds(10));
  EXPECT_EQ(policy.next_limit(), 1);
  RetryDecision second = policy.OnFailure({12}, 0);
  EXPECT_EQ(second.action, Action::kRetry);
  EXPECT_EQ(second.backoff, absl::Milliseconds(20));
  RetryDecision third = policy.OnFailure({12}, 0);
  EXPECT_EQ(third.action, Action::kPark);
  EXPECT_EQ(third.index, 0u);
  EXPECT_EQ(third.attempts, 3);
  EXPECT_EQ(policy.next_limit(), 100);
  // Parked: a later failure of the same position counts from one again.
  EXPECT_EQ(policy.OnFailure({12}, 0).attempts, 1);
}

TEST(RetryPolicy, BackoffStopsAtTheCeiling) {
  RetryOptions options = Options();
  options.max_attempts = 10;
  RetryPolicy policy(options);
  absl::Duration last;
  for (int i = 0; i < 6; ++i) last = policy.OnFailure({7}, 0).backoff;
  EXPECT_EQ(last, absl::Milliseconds(25));
}

TEST(RetryPolicy, AttemptsCountPerEventAndAreForgottenOnCommit) {
  RetryPolicy policy(Options());
  EXPECT_EQ(policy.OnFailure({5}, 0).attempts, 1);
  EXPECT_EQ(policy.OnFailure({6}, 0).attempts, 1);
  EXPECT_EQ(policy.OnFailure({5}, 0).attempts, 2);
  policy.OnCommitted({5});
  EXPECT_EQ(policy.next_limit(), 100);
  EXPECT_EQ(policy.OnFailure({5}, 0).attempts, 1);
  EXPECT_EQ(policy.OnFailure({6}, 0).attempts, 2);
  policy.Reset();
  EXPECT_EQ(policy.OnFailure({6}, 0).attempts, 1);
}

TEST(RetryPolicy, AnIndexPastTheBatchCountsAsNotTiedToAnEvent) {
  RetryPolicy policy(Options());
  EXPECT_EQ(policy.OnFailure({1, 2}, 9).action, Action::kNarrow);
  EXPECT_EQ(policy.next_limit(), 1);
}

}  // namespace
}  // namespace ordo::store
