// ordo-projector as real processes: killed with SIGKILL in the middle of a 60,000-event
// catch-up and restarted, nothing is lost or applied twice; of two processes only one
// applies, and the other takes over when the first is killed.
#include <gtest/gtest.h>
#include <signal.h>

#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include "absl/strings/str_cat.h"
#include "support/child_process.h"
#include "support/order_events.h"
#include "support/test_database.h"
#include "support/wait.h"

namespace ordo {
namespace {

constexpr char kProjection[] = "order_summary";

std::unique_ptr<testing::ChildProcess> StartProjector(const testing::TestDatabase& db,
                                                      const std::string& batch_size = "1000") {
  return std::make_unique<testing::ChildProcess>(std::vector<std::string>{
      ORDO_PROJECTOR_BINARY, "--database_url=" + db.ServiceUrl({"ordo_projector"}),
      "--batch_size=" + batch_size, "--poll_interval=100ms"});
}

// `orders` orders of 5 events each (created, then 4 adds, one SKU added twice), in one
// transaction.
void SeedOrders(const testing::TestDatabase& db, const std::string& prefix, int orders) {
  pqxx::connection connection(db.url());
  pqxx::work tx(connection);
  tx.exec_params(R"sql(
    INSERT INTO events (stream_id, stream_type, version, event_id, event_type, schema_version,
                        payload, metadata)
    SELECT $1 || o, 'order', v, gen_random_uuid(),
           CASE WHEN v = 1 THEN 'OrderCreated' ELSE 'OrderItemAdded' END, 1,
           CASE WHEN v = 1
             THEN jsonb_build_object('order_id', $1 || o, 'customer_id', 'c-' || (o % 100),
                                     'currency', 'EUR')
             ELSE jsonb_build_object('order_id', $1 || o, 'sku', 'sku-' || (v % 3),
                                     'quantity', v, 'unit_price_cents', (100 * v)::text)
           END,
           '{}'
      FROM generate_series(1, $2::int) o, generate_series(1, 5) v
     ORDER BY o, v)sql",
                 prefix, orders);
  tx.commit();
}

int64_t CheckpointPosition(const testing::TestDatabase& db) {
  const std::string position =
      db.Query("SELECT global_position FROM projection_checkpoints WHERE name = 'order_summary'");
  return position.empty() ? 0 : std::stoll(position);
}

TEST(ProjectorProcess, KilledMidCatchUpResumesWithoutLossOrDoubleApply) {
  testing::TestDatabase db;
  SeedOrders(db, "crash-", 12000);  // 60,000 events
  ASSERT_EQ(db.Query("SELECT count(*) FROM events"), "60000");

  auto projector = StartProjector(db, "500");
  ASSERT_TRUE(testing::WaitUntil([&] { return CheckpointPosition(db) >= 5000; }, absl::Seconds(60)))
      << projector->Output();
  projector->Signal(SIGKILL);
  ASSERT_EQ(projector->WaitForExit(absl::Seconds(10)), 128 + SIGKILL);
  const int64_t at_kill = CheckpointPosition(db);
  ASSERT_LT(at_kill, 60000) << "caught up before the kill: the test proves nothing";

  // What was committed is consistent with the checkpoint at any moment.
  EXPECT_EQ(
      db.Query("SELECT coalesce(sum(version), 0) FROM order_summary"),
      db.Query("SELECT count(*) FROM events WHERE global_position <= " + std::to_string(at_kill)));

  projector = StartProjector(db);
  ASSERT_TRUE(testing::WaitUntil([&] { return testing::ProjectionCaughtUp(db.url(), kProjection); },
                                 absl::Seconds(120)))
      << projector->Output();
  EXPECT_EQ(testing::CountReadModelMismatches(db.url()), 0);
  EXPECT_EQ(db.Query("SELECT count(*) FROM order_summary"), "12000");
  EXPECT_EQ(db.Query("SELECT sum(item_count) FROM order_summary"),
            std::to_string(12000 * (2 + 3 + 4 + 5)));
}

TEST(ProjectorProcess, OnlyOneProcessAppliesAndTheOtherTakesOver) {
  testing::TestDatabase db;
  auto first = StartProjector(db);
  ASSERT_TRUE(first->WaitForOutput("order_summary: active", absl::Seconds(20))) << first->Output();
  auto second = StartProjector(db);
  ASSERT_TRUE(second->WaitForOutput("ordo-projector running", absl::Seconds(20)));

  SeedOrders(db, "fo-a-", 100);
  ASSERT_TRUE(testing::WaitUntil([&] { return testing::ProjectionCaughtUp(db.url(), kProjection); },
                                 absl::Seconds(30)));
  EXPECT_EQ(second->Output().find("active"), std::string::npos) << "both processes applied:\n"
                                                                << second->Output();

  first->Signal(SIGKILL);
  ASSERT_EQ(first->WaitForExit(absl::Seconds(10)), 128 + SIGKILL);
  ASSERT_TRUE(second->WaitForOutput("order_summary: active", absl::Seconds(15)))
      << second->Output();
  SeedOrders(db, "fo-b-", 100);
  ASSERT_TRUE(testing::WaitUntil([&] { return testing::ProjectionCaughtUp(db.url(), kProjection); },
                                 absl::Seconds(30)));
  EXPECT_EQ(testing::CountReadModelMismatches(db.url()), 0);
  EXPECT_EQ(db.Query("SELECT count(*) FROM order_summary"), "200");

  second->Signal(SIGTERM);
  EXPECT_EQ(second->WaitForExit(absl::Seconds(15)), 0) << second->Output();
}

}  // namespace
}  // namespace ordo
