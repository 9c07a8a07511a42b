// Reading the event log in tailing order without ever skipping an event.
#include "store/subscription/event_tail.h"

#include <pqxx/result>

#include "store/log/event_rows.h"

namespace ordo::store {
namespace {

// Identity values are handed out before commit, so a later position can commit first:
// reading by global_position alone would skip the earlier one for good. Every transaction
// below the snapshot's xmin has ended, so nothing can appear behind what this returns.
constexpr char kReadTail[] = "ordo_read_tail";
constexpr char kReadTailSql[] = "SELECT " ORDO_EVENT_COLUMNS
                                " FROM events"
                                " WHERE (tx_id, global_position) > ($1::xid8, $2::bigint)"
                                "   AND tx_id < ordo_visible_tx_floor()"
                                " ORDER BY tx_id, global_position"
                                " LIMIT $3::int";

}  // namespace

std::vector<RecordedEvent> ReadTail(pqxx::transaction_base& tx, const LogPosition& after,
                                    int limit) {
  tx.conn().prepare(kReadTail, kReadTailSql);
  pqxx::result rows =
      tx.exec_prepared(kReadTail, std::to_string(after.tx_id), after.global_position, limit);
  std::vector<RecordedEvent> events;
  events.reserve(rows.size());
  for (const pqxx::row& row : rows) events.push_back(EventFromRow(row));
  return events;
}

}  // namespace ordo::store
