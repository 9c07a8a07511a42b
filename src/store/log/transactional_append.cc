// Appends to a stream inside the caller's transaction.
#include "store/log/transactional_append.h"

#include <pqxx/result>

#include "absl/strings/str_cat.h"
#include "store/log/append_metrics.h"
#include "store/pg/sql_array.h"

namespace ordo::store {
namespace {

constexpr char kAppendInTransaction[] = "ordo_append_in_transaction";
constexpr char kAppendInTransactionSql[] = R"sql(
WITH appended AS (
  INSERT INTO events (stream_id, stream_type, version, event_id, event_type, schema_version,
                      payload, metadata)
  SELECT $1::text, $2::text, $3::int + e.n::int, gen_random_uuid(), e.event_type,
         e.schema_version, e.payload::jsonb, $7::jsonb
    FROM unnest($4::text[], $5::int[], $6::text[])
         WITH ORDINALITY AS e(event_type, schema_version, payload, n)
   WHERE $3::int = 0
      OR EXISTS (SELECT 1 FROM events WHERE stream_id = $1::text AND version = $3::int)
  RETURNING version, global_position, tx_id),
notified AS (
  SELECT pg_notify('ordo_events', $2::text) WHERE EXISTS (SELECT 1 FROM appended))
SELECT version, global_position, tx_id, (SELECT count(*) FROM notified)
  FROM appended ORDER BY version DESC LIMIT 1)sql";

}  // namespace

absl::StatusOr<AppendResult> AppendInTransaction(pqxx::transaction_base& tx,
                                                 const AppendRequest& request) {
  std::vector<std::string> types, payloads;
  std::vector<int64_t> schema_versions;
  for (const NewEvent& event : request.events) {
    types.push_back(event.event_type);
    schema_versions.push_back(event.schema_version);
    payloads.push_back(event.payload_json);
  }
  tx.conn().prepare(kAppendInTransaction, kAppendInTransactionSql);
  pqxx::result rows = tx.exec_prepared(kAppendInTransaction, request.stream_id, request.stream_type,
                                       request.expected_version, TextArrayLiteral(types),
                                       IntArrayLiteral(schema_versions), TextArrayLiteral(payloads),
                                       request.metadata_json);
  if (rows.empty()) {
    return absl::AbortedError(absl::StrCat("stream ", request.stream_id, " is not at version ",
                                           request.expected_version));
  }
  AppendMetrics::Get().Appended(request.stream_type, request.events.size());
  return AppendResult{request.stream_id, rows[0][0].as<int32_t>(),
                      LogPosition{rows[0][2].as<uint64_t>(), rows[0][1].as<int64_t>()}};
}

}  // namespace ordo::store
