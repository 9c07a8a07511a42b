// The shared tail of the subscription stream against a real PostgreSQL: it keeps a window
// of the log only while someone listens, and starts again from the log's head.
#include <gtest/gtest.h>

#include <pqxx/connection>
#include <pqxx/transaction>
#include <string>

#include "store/subscription/event_tail.h"
#include "store/subscription/live_tail.h"
#include "support/test_database.h"
#include "support/wait.h"

namespace ordo::store {
namespace {

class LiveTailTest : public ::testing::Test {
 protected:
  void Append(const std::string& stream, int count) {
    pqxx::connection connection(db_.url());
    pqxx::work tx(connection);
    for (int i = 1; i <= count; ++i) {
      tx.exec_params(
          "INSERT INTO events (stream_id, stream_type, version, event_id, event_type,"
          " schema_version, payload, metadata) VALUES ($1, 'test', $2, gen_random_uuid(),"
          " 'Happened', 1, '{}', '{}')",
          stream, i);
    }
    tx.commit();
  }

  LogPosition LogHead() {
    pqxx::connection connection(db_.url());
    pqxx::work tx(connection);
    pqxx::row row = tx.exec1(
        "SELECT tx_id::text::bigint, global_position FROM events"
        " ORDER BY tx_id DESC, global_position DESC LIMIT 1");
    return LogPosition{row[0].as<uint64_t>(), row[1].as<int64_t>()};
  }

  // The newest event can be tailed: no transaction below it is still open. Other tests'
  // transactions on the same server can hold that back for a while (transaction ids are
  // the server's), and a tail starting meanwhile starts from further back.
  bool HeadTailable() {
    pqxx::connection connection(db_.url());
    pqxx::work tx(connection);
    return ReadTailHead(tx) == LogHead();
  }

  testing::TestDatabase db_;
};

TEST_F(LiveTailTest, TheTailKeepsAWindowOnlyWhileSomeoneListens) {
  LiveTailOptions options;
  options.poll_interval = absl::Milliseconds(20);
  LiveTail tail(db_.url(), options);
  tail.Start();
  Append("a", 3);
  ASSERT_TRUE(testing::WaitUntil([&] { return HeadTailable(); }, absl::Seconds(10)));
  const uint64_t first = tail.AddListener([] {});
  ASSERT_TRUE(testing::WaitUntil([&] { return tail.head() == LogHead(); }, absl::Seconds(10)));
  Append("b", 2);  // read into the window while listened
  ASSERT_TRUE(testing::WaitUntil([&] { return tail.head() == LogHead(); }, absl::Seconds(10)));
  EXPECT_EQ(tail.ReadAfter(LogPosition{}, 10, [](const RecordedEvent&) { return true; }).in_window,
            false);  // older than the window, which began at the head when the first listener came

  tail.RemoveListener(first);
  ASSERT_TRUE(testing::WaitUntil([&] { return !tail.head().has_value(); }, absl::Seconds(10)));
  Append("c", 4);  // nobody listens: not read
  ASSERT_TRUE(testing::WaitUntil([&] { return HeadTailable(); }, absl::Seconds(10)));
  tail.AddListener([] {});
  ASSERT_TRUE(testing::WaitUntil([&] { return tail.head() == LogHead(); }, absl::Seconds(10)));
  // Started again from the head: what came before is read from the database, not kept.
  EXPECT_FALSE(
      tail.ReadAfter(LogPosition{}, 10, [](const RecordedEvent&) { return true; }).in_window);
}

}  // namespace
}  // namespace ordo::store
