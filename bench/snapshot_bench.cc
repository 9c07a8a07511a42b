// ordo-bench-snapshot: the cost of a command on a long stream after a cache miss, with and
// without snapshots (DESIGN §9). Seeds, with SQL, one SKU stream of --long_events events
// (stock received, then reservations each committed) and one of 10; then, --runs times per
// case, a handler with an empty cache takes a ReserveStock on the stream (timed) and a
// ReleaseStock (not timed). Prints one line per case: the median and p90 in ms.
#include <algorithm>
#include <cstdio>
#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "command/handler/inventory_traits.h"
#include "store/log/event_store.h"
#include "store/pg/connection_pool.h"

ABSL_FLAG(std::string, database_url, "", "a migrated Ordo database");
ABSL_FLAG(int, long_events, 200000, "events in the long stream");
ABSL_FLAG(int, runs, 21, "timed commands per case");

namespace {

using ordo::command::CommandContext;
using ordo::command::CommandHandlerOptions;
using ordo::command::InventoryCommandHandler;

// A stream of StockReceived then (events - 1) / 2 reservations, each committed.
constexpr char kSeedSql[] = R"sql(
INSERT INTO events (stream_id, stream_type, version, event_id, event_type, schema_version,
                    payload, metadata)
SELECT 'inventory:' || $1::text, 'inventory', v, gen_random_uuid(),
       CASE WHEN v = 1 THEN 'StockReceived' WHEN v % 2 = 0 THEN 'StockReserved'
            ELSE 'StockCommitted' END, 1,
       CASE WHEN v = 1 THEN jsonb_build_object('sku', $1::text, 'quantity', '1000000000')
            ELSE jsonb_build_object('sku', $1::text, 'order_id', 'seed-' || (v / 2),
                                    'quantity', '1') END,
       '{}'
  FROM generate_series(1, $2::int) v
)sql";

double Percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(p * values.size()))];
}

// --runs commands on `sku`, each by a handler with an empty cache; the first (which may
// write the snapshot) is not timed.
void Measure(ordo::store::EventStore& store, const std::string& label, const std::string& sku,
             bool snapshots, int events) {
  CommandHandlerOptions options;
  options.snapshots = snapshots;
  std::vector<double> ms;
  for (int run = 0; run <= absl::GetFlag(FLAGS_runs); ++run) {
    InventoryCommandHandler handler(store, options);  // a cold cache, as after a restart
    CommandContext context;
    context.deadline = absl::Now() + absl::Seconds(120);
    const std::string order = absl::StrCat("probe-", snapshots, "-", run);
    const absl::Time start = absl::Now();
    auto reserved = handler.Handle(ordo::domain::ReserveStock{sku, order, 1}, context);
    const absl::Duration took = absl::Now() - start;
    if (!reserved.ok()) {
      std::fprintf(stderr, "%s: %s\n", label.c_str(),
                   std::string(reserved.status().message()).c_str());
      return;
    }
    (void)handler.Handle(ordo::domain::ReleaseStock{sku, order}, context);
    if (run > 0) ms.push_back(absl::ToDoubleMilliseconds(took));
  }
  std::printf("case=%s events=%d snapshots=%s median_ms=%.2f p90_ms=%.2f\n", label.c_str(), events,
              snapshots ? "on" : "off", Percentile(ms, 0.5), Percentile(ms, 0.9));
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string url = absl::GetFlag(FLAGS_database_url);
  const int long_events = absl::GetFlag(FLAGS_long_events) | 1;  // odd: every reservation closed
  const std::string run = absl::StrCat("snap-", absl::ToUnixMillis(absl::Now()), "-");
  {
    pqxx::connection connection(url);
    pqxx::nontransaction tx(connection);
    tx.exec_params(kSeedSql, run + "long", long_events);
    tx.exec_params(kSeedSql, run + "short", 11);
    tx.exec("VACUUM ANALYZE events");
  }
  ordo::store::ConnectionPool pool({url, 4});
  ordo::store::EventStore store(pool);
  Measure(store, "short", run + "short", false, 11);
  Measure(store, "long", run + "long", false, long_events);
  Measure(store, "long", run + "long", true, long_events);
  Measure(store, "short", run + "short", true, 11);
  return 0;
}
