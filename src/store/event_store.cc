// The append-only event store over the PostgreSQL `events` table.
#include "store/event_store.h"

#include <pqxx/nontransaction>
#include <pqxx/result>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "store/event_rows.h"
#include "store/pg_status.h"
#include "store/sql_array.h"

namespace ordo::store {
namespace {

// One statement, so one round trip and its own transaction: inserts the events as versions
// $3+1, $3+2, ... only when version $3 is visible (so a wrong expected version can never
// leave a gap; UNIQUE (stream_id, version) turns a concurrent append into a conflict), then
// records the request ($8 non-empty) with the outcome, and NOTIFYs when $10.
constexpr char kAppend[] = "ordo_append";
constexpr char kAppendSql[] = R"sql(
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
last AS (
  SELECT version, global_position, tx_id FROM appended ORDER BY version DESC LIMIT 1),
recorded AS (
  INSERT INTO command_requests (request_id, fingerprint, stream_id, version, tx_id,
                                global_position)
  SELECT $8::text, $9::text, $1::text, version, tx_id, global_position
    FROM last WHERE $8::text <> ''
  RETURNING 1),
notified AS (
  SELECT pg_notify('ordo_events', '') FROM last WHERE $10::bool)
SELECT version, global_position, tx_id,
       (SELECT count(*) FROM recorded), (SELECT count(*) FROM notified)
  FROM last
)sql";

constexpr char kFindRequest[] = "ordo_find_request";
constexpr char kFindRequestSql[] = R"sql(
SELECT fingerprint, stream_id, version, tx_id, global_position
  FROM command_requests
 WHERE request_id = $1::text
)sql";

constexpr char kReadStream[] = "ordo_read_stream";
constexpr char kReadStreamSql[] = "SELECT " ORDO_EVENT_COLUMNS
                                  " FROM events WHERE stream_id = $1::text AND version >= $2::int"
                                  " ORDER BY version";

}  // namespace

absl::StatusOr<AppendResult> EventStore::Append(const AppendRequest& request, absl::Time deadline) {
  if (request.events.empty()) {
    return absl::InvalidArgumentError("events: an append needs at least one event");
  }
  std::vector<std::string> types;
  std::vector<int64_t> schema_versions;
  std::vector<std::string> payloads;
  for (const NewEvent& event : request.events) {
    types.push_back(event.event_type);
    schema_versions.push_back(event.schema_version);
    payloads.push_back(event.payload_json);
  }
  const RequestKey no_request;
  const RequestKey& key = request.request ? *request.request : no_request;
  absl::StatusOr<AppendResult> appended;
  {
    ORDO_ASSIGN_OR_RETURN(ConnectionPool::Lease connection, pool_.Acquire(deadline));
    appended = GuardPq("append", [&]() -> absl::StatusOr<AppendResult> {
      connection->prepare(kAppend, kAppendSql);
      pqxx::nontransaction tx(*connection);
      pqxx::result rows = tx.exec_prepared(
          kAppend, request.stream_id, request.stream_type, request.expected_version,
          TextArrayLiteral(types), IntArrayLiteral(schema_versions), TextArrayLiteral(payloads),
          request.metadata_json, key.request_id, key.fingerprint,
          notify_mode_ == NotifyMode::kInTransaction);
      if (rows.empty()) {
        return absl::AbortedError(absl::StrCat("stream ", request.stream_id, " is not at version ",
                                               request.expected_version));
      }
      return AppendResult{request.stream_id, rows[0][0].as<int32_t>(),
                          LogPosition{rows[0][2].as<uint64_t>(), rows[0][1].as<int64_t>()}};
    });
  }
  if (appended.ok()) {
    if (notify_mode_ == NotifyMode::kAfterCommit && notifier_ != nullptr) notifier_->Notify();
    return appended;
  }
  // A unique violation is a concurrent append to the stream, or this request_id recorded
  // by another call; tell them apart.
  if (absl::IsAborted(appended.status()) && !key.request_id.empty() &&
      FindRequest(key.request_id, deadline).ok()) {
    return absl::AlreadyExistsError(
        absl::StrCat("request_id ", key.request_id, " was recorded by another call"));
  }
  return appended;
}

absl::StatusOr<std::vector<RecordedEvent>> EventStore::ReadStream(const std::string& stream_id,
                                                                  int32_t from_version,
                                                                  absl::Time deadline) {
  ORDO_ASSIGN_OR_RETURN(ConnectionPool::Lease connection, pool_.Acquire(deadline));
  return GuardPq("read stream", [&]() -> absl::StatusOr<std::vector<RecordedEvent>> {
    connection->prepare(kReadStream, kReadStreamSql);
    pqxx::nontransaction tx(*connection);
    pqxx::result rows = tx.exec_prepared(kReadStream, stream_id, from_version);
    std::vector<RecordedEvent> events;
    events.reserve(rows.size());
    for (const pqxx::row& row : rows) events.push_back(EventFromRow(row));
    return events;
  });
}

absl::Status EventStore::CheckReady(absl::Time deadline) {
  ORDO_ASSIGN_OR_RETURN(ConnectionPool::Lease connection, pool_.Acquire(deadline));
  return GuardPq("check schema", [&]() -> absl::Status {
    pqxx::nontransaction tx(*connection);
    pqxx::row row = tx.exec1(
        "SELECT to_regclass('events') IS NOT NULL AND to_regclass('command_requests') IS NOT NULL");
    if (!row[0].as<bool>()) {
      return absl::FailedPreconditionError(
          "the database has no events/command_requests tables: run ordo-migrate first");
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<RecordedRequest> EventStore::FindRequest(const std::string& request_id,
                                                        absl::Time deadline) {
  ORDO_ASSIGN_OR_RETURN(ConnectionPool::Lease connection, pool_.Acquire(deadline));
  return GuardPq("find request", [&]() -> absl::StatusOr<RecordedRequest> {
    connection->prepare(kFindRequest, kFindRequestSql);
    pqxx::nontransaction tx(*connection);
    pqxx::result rows = tx.exec_prepared(kFindRequest, request_id);
    if (rows.empty()) {
      return absl::NotFoundError(absl::StrCat("request_id ", request_id, " not recorded"));
    }
    const pqxx::row& row = rows[0];
    RecordedRequest found;
    found.fingerprint = row[0].as<std::string>();
    found.result.stream_id = row[1].as<std::string>();
    found.result.version = row[2].as<int32_t>();
    found.result.position = LogPosition{row[3].as<uint64_t>(), row[4].as<int64_t>()};
    return found;
  });
}

}  // namespace ordo::store
