// Tests of log positions' order and of the consistency-token encoding.
#include "store/log/log_position.h"

#include <gtest/gtest.h>

namespace ordo::store {
namespace {

TEST(LogPosition, OrdersByTransactionThenPosition) {
  EXPECT_LT((LogPosition{5, 100}), (LogPosition{6, 1}));
  EXPECT_LT((LogPosition{5, 1}), (LogPosition{5, 2}));
  EXPECT_LE((LogPosition{5, 2}), (LogPosition{5, 2}));
  EXPECT_FALSE((LogPosition{6, 1}) < (LogPosition{5, 100}));
}

TEST(ConsistencyToken, RoundTrips) {
  for (LogPosition p :
       {LogPosition{0, 0}, LogPosition{1234, 98765}, LogPosition{UINT64_MAX, INT64_MAX}}) {
    absl::StatusOr<LogPosition> decoded = DecodeConsistencyToken(EncodeConsistencyToken(p));
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(*decoded, p);
  }
}

TEST(ConsistencyToken, IsShort) {
  EXPECT_LE(EncodeConsistencyToken(LogPosition{4000000000ULL, 1000000000LL}).size(), 20u);
}

TEST(ConsistencyToken, RejectsMalformedTokensNamingTheField) {
  for (const char* bad : {"", "1", "1.2", "2.a.b", "1.x.1", "1.1.", "1..1", "1.1.1.1",
                          "1.11111111111111111.1", "1.A.1", "1.1.8000000000000000"}) {
    absl::StatusOr<LogPosition> decoded = DecodeConsistencyToken(bad);
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(decoded.status().message().substr(0, 18), "consistency_token:") << bad;
  }
}

}  // namespace
}  // namespace ordo::store
