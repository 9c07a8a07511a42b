// The one mapping between `events` rows and RecordedEvent, shared by every reader
// (stream reads, the projector tail, history pages).
#ifndef ORDO_STORE_LOG_EVENT_ROWS_H_
#define ORDO_STORE_LOG_EVENT_ROWS_H_

#include <pqxx/row>

#include "store/log/recorded_event.h"

namespace ordo::store {

// SELECT list that EventFromRow() reads, in this order.
#define ORDO_EVENT_COLUMNS                                                    \
  "global_position, tx_id, stream_id, stream_type, version, event_id::text, " \
  "event_type, schema_version, payload::text, metadata::text, "               \
  "(extract(epoch FROM recorded_at) * 1000000)::bigint"

// How many columns ORDO_EVENT_COLUMNS selects: a query may add its own after them.
inline constexpr int kEventColumnCount = 11;

RecordedEvent EventFromRow(const pqxx::row& row);

}  // namespace ordo::store

#endif  // ORDO_STORE_LOG_EVENT_ROWS_H_
