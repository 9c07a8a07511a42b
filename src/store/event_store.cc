// The append-only event store over the PostgreSQL `events` table.
#include "store/event_store.h"

#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "store/event_rows.h"
#include "store/pg_status.h"

namespace ordo::store {
namespace {

// Inserts one event only when its predecessor is visible, so a wrong expected version can
// never leave a gap; UNIQUE (stream_id, version) turns a concurrent append into a conflict.
constexpr char kAppendEvent[] = "ordo_append_event";
constexpr char kAppendEventSql[] = R"sql(
INSERT INTO events (stream_id, stream_type, version, event_id, event_type, schema_version,
                    payload, metadata)
SELECT $1::text, $2::text, $3::int, gen_random_uuid(), $4::text, $5::int, $6::jsonb, $7::jsonb
 WHERE $3::int = 1
    OR EXISTS (SELECT 1 FROM events WHERE stream_id = $1::text AND version = $3::int - 1)
RETURNING global_position, tx_id
)sql";

constexpr char kRecordRequest[] = "ordo_record_request";
constexpr char kRecordRequestSql[] = R"sql(
INSERT INTO command_requests (request_id, fingerprint, stream_id, version, tx_id,
                              global_position)
VALUES ($1::text, $2::text, $3::text, $4::int, $5::text::xid8, $6::bigint)
ON CONFLICT (request_id) DO NOTHING
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
  ORDO_ASSIGN_OR_RETURN(ConnectionPool::Lease connection, pool_.Acquire(deadline));
  return GuardPq("append", [&]() -> absl::StatusOr<AppendResult> {
    connection->prepare(kAppendEvent, kAppendEventSql);
    connection->prepare(kRecordRequest, kRecordRequestSql);
    pqxx::work tx(*connection);
    AppendResult result{request.stream_id, request.expected_version, {}};
    for (const NewEvent& event : request.events) {
      ++result.version;
      pqxx::result row = tx.exec_prepared(kAppendEvent, request.stream_id, request.stream_type,
                                          result.version, event.event_type, event.schema_version,
                                          event.payload_json, request.metadata_json);
      if (row.empty()) {
        return absl::AbortedError(absl::StrCat("stream ", request.stream_id, " is not at version ",
                                               request.expected_version));
      }
      result.position = LogPosition{row[0][1].as<uint64_t>(), row[0][0].as<int64_t>()};
    }
    if (request.request) {
      pqxx::result recorded =
          tx.exec_prepared(kRecordRequest, request.request->request_id,
                           request.request->fingerprint, request.stream_id, result.version,
                           std::to_string(result.position.tx_id), result.position.global_position);
      if (recorded.affected_rows() == 0) {
        return absl::AlreadyExistsError(absl::StrCat("request_id ", request.request->request_id,
                                                     " was recorded by another call"));
      }
    }
    if (notify_mode_ == NotifyMode::kInTransaction) {
      tx.exec(absl::StrCat("NOTIFY ", kEventsChannel));
    }
    tx.commit();
    if (notify_mode_ == NotifyMode::kAfterCommit && notifier_ != nullptr) notifier_->Notify();
    return result;
  });
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
