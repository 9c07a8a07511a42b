// Tests of the connection settings the pool adds to a database URL.
#include <gtest/gtest.h>

#include "store/pg/connection_pool.h"

namespace ordo::store {
namespace {

TEST(ConnectionString, AddsTimeoutsToKeyValueStrings) {
  const std::string s = WithConnectTimeout("host=db user=ordo", absl::Seconds(3));
  EXPECT_EQ(s,
            "host=db user=ordo connect_timeout=3 keepalives_idle=10 keepalives_interval=3 "
            "keepalives_count=3 tcp_user_timeout=20000 "
            "options='-c idle_in_transaction_session_timeout=60s'");
}

TEST(ConnectionString, AddsTimeoutsToUrlsAfterTheirOwnParameters) {
  EXPECT_EQ(WithConnectTimeout("postgresql://u@db/ordo", absl::Seconds(2)),
            "postgresql://u@db/ordo?connect_timeout=2&keepalives_idle=10&keepalives_interval=3&"
            "keepalives_count=3&tcp_user_timeout=20000&"
            "options=-c%20idle_in_transaction_session_timeout%3D60s");
  EXPECT_EQ(WithConnectTimeout("postgres://u@db/ordo?sslmode=disable", absl::Seconds(2))
                .rfind("postgres://u@db/ordo?sslmode=disable&connect_timeout=2&", 0),
            0u);
}

TEST(ConnectionString, KeepsWhatTheUserSet) {
  const std::string s = WithConnectTimeout(
      "host=db connect_timeout=9 tcp_user_timeout=1 options='-c x=1'", absl::Seconds(3));
  EXPECT_EQ(s,
            "host=db connect_timeout=9 tcp_user_timeout=1 options='-c x=1' keepalives_idle=10 "
            "keepalives_interval=3 keepalives_count=3");
}

TEST(ConnectionString, ConnectTimeoutIsAtLeastOneSecond) {
  EXPECT_EQ(
      WithConnectTimeout("host=db", absl::Milliseconds(10)).rfind("host=db connect_timeout=1 ", 0),
      0u);
}

}  // namespace
}  // namespace ordo::store
