// Reading the event log in tailing order without ever skipping an event.
#include "store/subscription/event_tail.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <pqxx/result>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "store/log/event_rows.h"
#include "store/pg/sql_array.h"

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

// The same rule with a filter ($4 event types, $5 stream types; empty: all): the rows it
// looks at are the same, only those that pass leave the database, plus the last one looked
// at (with `wanted` false and no payload) so the checkpoint can move past filtered ones.
// The columns are ORDO_EVENT_COLUMNS' in their order, then `wanted`.
constexpr char kReadFilteredTail[] = "ordo_read_filtered_tail";
constexpr char kReadFilteredTailSql[] = R"sql(
WITH scanned AS (
  SELECT global_position, tx_id, stream_id, stream_type, version, event_id, event_type,
         schema_version, payload, metadata, recorded_at,
         (cardinality($4::text[]) = 0 OR event_type = ANY($4::text[]))
           AND (cardinality($5::text[]) = 0 OR stream_type = ANY($5::text[])) AS wanted
    FROM events
   WHERE (tx_id, global_position) > ($1::xid8, $2::bigint)
     AND tx_id < ordo_visible_tx_floor()
   ORDER BY tx_id, global_position
   LIMIT $3::int),
numbered AS (
  SELECT *, row_number() OVER (ORDER BY tx_id DESC, global_position DESC) = 1 AS last,
         count(*) OVER () AS scanned
    FROM scanned)
SELECT global_position, tx_id, stream_id, stream_type, version, event_id::text, event_type,
       schema_version, CASE WHEN wanted THEN payload::text END,
       CASE WHEN wanted THEN metadata::text END,
       (extract(epoch FROM recorded_at) * 1000000)::bigint, wanted, scanned
  FROM numbered
 WHERE wanted OR last
 ORDER BY tx_id, global_position
)sql";

// One stream type (STREAM_TYPE, a quoted literal: a generic plan for a parameter does not
// know how rare the type is and scans events_tail instead) through events_stream_type_tail,
// so the events of other types are never looked at; $4 filters event types within it (`wanted`). A
// second branch returns the last visible event of the whole log (the horizon, marked 1 in the last
// column): when fewer than $3 events of the type came back, every one of them up to the horizon
// did, so the subscriber has seen the log up to there. One statement, so one snapshot and one floor
// for both branches.
constexpr char kReadStreamTypeTail[] = "ordo_read_stream_type_tail";
constexpr char kReadStreamTypeTailSql[] = R"sql(
WITH bound AS MATERIALIZED (SELECT ordo_visible_tx_floor() AS floor)
(SELECT e.global_position, e.tx_id, e.stream_id, e.stream_type, e.version, e.event_id::text,
        e.event_type, e.schema_version, e.payload::text, e.metadata::text,
        (extract(epoch FROM e.recorded_at) * 1000000)::bigint,
        cardinality($4::text[]) = 0 OR e.event_type = ANY($4::text[]), 0
   FROM events e, bound
  WHERE e.stream_type = STREAM_TYPE
    AND (e.tx_id, e.global_position) > ($1::xid8, $2::bigint)
    AND e.tx_id < bound.floor
  ORDER BY e.stream_type, e.tx_id, e.global_position
  LIMIT $3::int)
UNION ALL
(SELECT h.global_position, h.tx_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, false, 1
   FROM events h, bound
  WHERE h.tx_id < bound.floor AND (h.tx_id, h.global_position) > ($1::xid8, $2::bigint)
  ORDER BY h.tx_id DESC, h.global_position DESC
  LIMIT 1)
)sql";

constexpr char kTailHeadSql[] =
    "SELECT tx_id, global_position FROM events WHERE tx_id < ordo_visible_tx_floor()"
    " ORDER BY tx_id DESC, global_position DESC LIMIT 1";

bool ByPosition(const RecordedEvent& a, const RecordedEvent& b) { return a.position < b.position; }

}  // namespace

TailBatch ReadTail(pqxx::transaction_base& tx, const LogPosition& after, int limit,
                   const SubscriberFilter& filter) {
  TailBatch batch;
  batch.scanned_to = after;
  if (filter.event_types.empty() && filter.stream_types.empty()) {
    tx.conn().prepare(kReadTail, kReadTailSql);
    pqxx::result rows =
        tx.exec_prepared(kReadTail, std::to_string(after.tx_id), after.global_position, limit);
    batch.events.reserve(rows.size());
    for (const pqxx::row& row : rows) batch.events.push_back(EventFromRow(row));
    batch.scanned = batch.events.size();
    batch.full = batch.scanned == static_cast<size_t>(limit);
    if (!batch.events.empty()) batch.scanned_to = batch.events.back().position;
    return batch;
  }
  if (filter.stream_types.size() == 1) {
    // One statement per stream type (prepared once per connection and type).
    const std::string& stream_type = filter.stream_types[0];
    const std::string name =
        absl::StrCat(kReadStreamTypeTail, "_", std::hash<std::string>{}(stream_type));
    tx.conn().prepare(name, absl::StrReplaceAll(kReadStreamTypeTailSql,
                                                {{"STREAM_TYPE", tx.quote(stream_type)}}));
    pqxx::result rows = tx.exec_prepared(name, std::to_string(after.tx_id), after.global_position,
                                         limit, TextArrayLiteral(filter.event_types));
    batch.events.reserve(rows.size());
    size_t matching = 0;
    std::optional<LogPosition> horizon;
    for (const pqxx::row& row : rows) {
      const LogPosition position{row[1].as<uint64_t>(), row[0].as<int64_t>()};
      if (row[kEventColumnCount + 1].as<int>() == 1) {
        horizon = position;
        continue;
      }
      ++matching;
      if (batch.scanned_to < position) batch.scanned_to = position;
      if (row[kEventColumnCount].as<bool>()) batch.events.push_back(EventFromRow(row));
    }
    // UNION ALL promises no order: put the events in log order.
    if (!std::is_sorted(batch.events.begin(), batch.events.end(), ByPosition)) {
      std::sort(batch.events.begin(), batch.events.end(), ByPosition);
    }
    batch.full = matching == static_cast<size_t>(limit);
    // Short of the limit: every event of the type up to the horizon is here.
    if (!batch.full && horizon) batch.scanned_to = *horizon;
    batch.scanned = matching + (horizon && !batch.full ? 1 : 0);
    return batch;
  }
  tx.conn().prepare(kReadFilteredTail, kReadFilteredTailSql);
  pqxx::result rows =
      tx.exec_prepared(kReadFilteredTail, std::to_string(after.tx_id), after.global_position, limit,
                       TextArrayLiteral(filter.event_types), TextArrayLiteral(filter.stream_types));
  batch.events.reserve(rows.size());
  for (const pqxx::row& row : rows) {
    batch.scanned = row[kEventColumnCount + 1].as<size_t>();
    batch.scanned_to = LogPosition{row[1].as<uint64_t>(), row[0].as<int64_t>()};
    if (row[kEventColumnCount].as<bool>()) batch.events.push_back(EventFromRow(row));
  }
  batch.full = batch.scanned == static_cast<size_t>(limit);
  return batch;
}

LogPosition ReadTailHead(pqxx::transaction_base& tx) {
  pqxx::result rows = tx.exec(kTailHeadSql);
  if (rows.empty()) return LogPosition{};
  return LogPosition{rows[0][0].as<uint64_t>(), rows[0][1].as<int64_t>()};
}

}  // namespace ordo::store
