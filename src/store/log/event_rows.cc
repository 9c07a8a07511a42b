// The one mapping between `events` rows and RecordedEvent.
#include "store/log/event_rows.h"

#include <pqxx/field>

namespace ordo::store {

RecordedEvent EventFromRow(const pqxx::row& row) {
  RecordedEvent event;
  event.position = LogPosition{row[1].as<uint64_t>(), row[0].as<int64_t>()};
  event.stream_id = row[2].as<std::string>();
  event.stream_type = row[3].as<std::string>();
  event.version = row[4].as<int32_t>();
  event.event_id = row[5].as<std::string>();
  event.event_type = row[6].as<std::string>();
  event.schema_version = row[7].as<int32_t>();
  event.payload_json = row[8].as<std::string>();
  event.metadata_json = row[9].as<std::string>();
  event.recorded_at = absl::FromUnixMicros(row[10].as<int64_t>());
  return event;
}

}  // namespace ordo::store
