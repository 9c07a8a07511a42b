// Tests of the expiry of idempotency records (request_expiry.h) on a real PostgreSQL: the
// records older than the retention go, in batches, while the newer ones stay, and appends
// carry on meanwhile.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "store/log/event_store.h"
#include "store/log/request_expiry.h"
#include "store/pg/connection_pool.h"
#include "support/test_database.h"
#include "support/wait.h"

namespace ordo::store {
namespace {

TEST(RequestExpiryTest, RecordsOlderThanTheRetentionGoInBatchesWhileAppendsGoOn) {
  testing::TestDatabase db;
  // 2,500 records eight days old, 10 from now.
  db.Query(
      "INSERT INTO command_requests (request_id, fingerprint, stream_id, version, tx_id, "
      "global_position, recorded_at) SELECT 'old-' || n, 'f', 's-' || n, 1, '1', n, "
      "now() - interval '8 days' FROM generate_series(1, 2500) n");
  db.Query(
      "INSERT INTO command_requests (request_id, fingerprint, stream_id, version, tx_id, "
      "global_position) SELECT 'new-' || n, 'f', 's-' || n, 1, '1', n "
      "FROM generate_series(1, 10) n");

  ConnectionPool pool({db.url(), 2});
  EventStore store(pool);
  std::atomic<bool> stop{false};
  std::atomic<int> appended{0}, failed{0};
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) {
      AppendRequest request;
      request.stream_id = absl::StrCat("w-", i);
      request.stream_type = "order";
      request.expected_version = 0;
      request.metadata_json = "{}";
      request.request = RequestKey{absl::StrCat("req-", i), "f"};
      request.events.push_back({"OrderCreated", 1, "{}"});
      (store.Append(request, absl::Now() + absl::Seconds(2)).ok() ? appended : failed)++;
    }
  });

  RequestExpiryOptions options;
  options.batch_size = 1000;
  options.interval = absl::Milliseconds(50);
  RequestExpiry expiry(db.url(), options);
  expiry.Start();
  EXPECT_TRUE(testing::WaitUntil(
      [&] {
        return db.Query("SELECT count(*) FROM command_requests WHERE request_id LIKE 'old-%'") ==
               "0";
      },
      absl::Seconds(20)));
  stop = true;
  writer.join();
  EXPECT_EQ(db.Query("SELECT count(*) FROM command_requests WHERE request_id LIKE 'new-%'"), "10");
  EXPECT_GT(appended.load(), 0);
  EXPECT_EQ(failed.load(), 0);
  // The appends' own records are new: none expired.
  EXPECT_EQ(db.Query("SELECT count(*) FROM command_requests WHERE request_id LIKE 'req-%'"),
            absl::StrCat(appended.load()));
}

}  // namespace
}  // namespace ordo::store
