// Reading the event log in tailing order without ever skipping an event (DESIGN §4):
// (tx_id, global_position) order, only below the oldest transaction still running, so
// nothing can ever commit behind a position once it was returned.
#ifndef ORDO_STORE_SUBSCRIPTION_EVENT_TAIL_H_
#define ORDO_STORE_SUBSCRIPTION_EVENT_TAIL_H_

#include <pqxx/transaction_base>
#include <vector>

#include "store/log/log_position.h"
#include "store/log/recorded_event.h"
#include "store/subscription/subscriber.h"

namespace ordo::store {

// For a session that reads the tail and writes projection batches. Their statements take
// arrays and positions whose values say little about the best plan; left to choose,
// PostgreSQL plans them anew on every batch (custom plans), at more cost than running
// them. Every one of them is an index look-up or range scan: with sequential scans ruled
// out, a plan made while the tables were small (a fresh database) does not keep scanning
// them whole as they grow.
inline constexpr char kTailSessionSql[] =
    "SET plan_cache_mode = force_generic_plan; SET enable_seqscan = off";

// What one read of the tail found: the events that pass the filter, and how far it looked.
struct TailBatch {
  std::vector<RecordedEvent> events;
  size_t scanned = 0;      // events looked at, filtered out ones included; 0: none new
  LogPosition scanned_to;  // how far it looked; `after` when it found nothing new
  bool full = false;       // it stopped at `limit`: more may be waiting
};

// Looks at up to `limit` events after `after`, in (tx_id, global_position) order, all from
// transactions that have ended, and returns those that pass `filter` (in the SQL: events
// filtered out never leave the database). A subscriber has seen everything up to
// scanned_to.
TailBatch ReadTail(pqxx::transaction_base& tx, const LogPosition& after, int limit,
                   const SubscriberFilter& filter = {});

// The position of the newest event that can be tailed now (every transaction below it has
// ended); the zero position for an empty log.
LogPosition ReadTailHead(pqxx::transaction_base& tx);

}  // namespace ordo::store

#endif  // ORDO_STORE_SUBSCRIPTION_EVENT_TAIL_H_
