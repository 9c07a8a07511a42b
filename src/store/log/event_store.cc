// The append-only event store over the PostgreSQL `events` table.
#include "store/log/event_store.h"

#include <algorithm>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "store/log/append_metrics.h"
#include "store/log/event_rows.h"
#include "store/pg/pg_status.h"
#include "store/pg/sql_array.h"

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

// The same as kAppend for several streams at once: $1..$6 describe each append (its index
// is its position in the arrays), $7..$11 each event with the index of its append. Appends
// whose stream is visibly not at the expected version write nothing and get no row back,
// so one stale append does not fail the statement for the others. The version check is a
// scalar sub-query on purpose: an EXISTS here may be planned as a hashed sub-plan, which
// reads the whole events table into a hash on every call (chosen while the table is small,
// and kept by the cached plan as it grows).
constexpr char kAppendBatch[] = "ordo_append_batch";
constexpr char kAppendBatchSql[] = R"sql(
WITH request AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[])
         WITH ORDINALITY AS r(stream_id, stream_type, expected, metadata, request_id,
                              fingerprint, idx)),
ready AS (
  SELECT r.* FROM request r
   WHERE coalesce((SELECT max(version) FROM events WHERE stream_id = r.stream_id), 0)
         = r.expected),
appended AS (
  INSERT INTO events (stream_id, stream_type, version, event_id, event_type, schema_version,
                      payload, metadata)
  SELECT r.stream_id, r.stream_type, r.expected + e.n, gen_random_uuid(), e.event_type,
         e.schema_version, e.payload::jsonb, r.metadata::jsonb
    FROM unnest($7::int[], $8::int[], $9::text[], $10::int[], $11::text[])
         AS e(request_idx, n, event_type, schema_version, payload)
    JOIN ready r ON r.idx = e.request_idx
   ORDER BY e.request_idx, e.n
  RETURNING stream_id, version, global_position, tx_id),
last AS (
  SELECT DISTINCT ON (stream_id) stream_id, version, global_position, tx_id
    FROM appended ORDER BY stream_id, version DESC),
recorded AS (
  INSERT INTO command_requests (request_id, fingerprint, stream_id, version, tx_id,
                                global_position)
  SELECT r.request_id, r.fingerprint, l.stream_id, l.version, l.tx_id, l.global_position
    FROM ready r JOIN last l USING (stream_id)
   WHERE r.request_id <> ''
  RETURNING 1),
notified AS (
  SELECT pg_notify('ordo_events', '') WHERE $12::bool AND EXISTS (SELECT 1 FROM last))
SELECT stream_id, version, global_position, tx_id,
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

constexpr char kReadSnapshot[] = "ordo_read_snapshot";
constexpr char kReadSnapshotSql[] = R"sql(
SELECT stream_type, version, tx_id, global_position, state::text
  FROM snapshots WHERE stream_id = $1::text AND schema_version = $2::int
)sql";

// Keeps the newest snapshot of the current schema version; an older one of another schema
// version is replaced (it is useless to the code that runs now).
constexpr char kWriteSnapshot[] = "ordo_write_snapshot";
constexpr char kWriteSnapshotSql[] = R"sql(
INSERT INTO snapshots AS s (stream_id, stream_type, version, tx_id, global_position,
                            schema_version, state)
VALUES ($1::text, $2::text, $3::int, $4::text::xid8, $5::bigint, $6::int, $7::jsonb)
ON CONFLICT (stream_id) DO UPDATE
  SET stream_type = EXCLUDED.stream_type, version = EXCLUDED.version, tx_id = EXCLUDED.tx_id,
      global_position = EXCLUDED.global_position, schema_version = EXCLUDED.schema_version,
      state = EXCLUDED.state, taken_at = now()
  WHERE s.version < EXCLUDED.version OR s.schema_version <> EXCLUDED.schema_version
)sql";

absl::Status NotAtVersion(const AppendRequest& request) {
  return absl::AbortedError(
      absl::StrCat("stream ", request.stream_id, " is not at version ", request.expected_version));
}

absl::Status CheckAppend(const AppendRequest& request) {
  if (request.events.empty()) {
    return absl::InvalidArgumentError("events: an append needs at least one event");
  }
  return absl::OkStatus();
}

}  // namespace

EventStore::EventStore(ConnectionPool& pool, EventStoreOptions options)
    : pool_(pool), options_(options) {
  AppendMetrics::Get();  // the series exist before the first append
  if (options_.max_group_commit > 1) {
    AppendCoalescerOptions coalescing;
    coalescing.max_batch = static_cast<size_t>(options_.max_group_commit);
    coalescer_.emplace([this](const std::vector<const AppendRequest*>& batch,
                              absl::Time deadline) { return AppendBatch(batch, deadline); },
                       coalescing);
  }
}

void EventStore::NotifyAfterCommit(const std::vector<const AppendRequest*>& committed) {
  if (options_.notify_mode != NotifyMode::kAfterCommit || options_.notifier == nullptr) return;
  std::vector<std::string> event_types;
  for (const AppendRequest* request : committed) {
    event_types.clear();
    for (const NewEvent& event : request->events) event_types.push_back(event.event_type);
    options_.notifier->Notify(request->stream_type, event_types);
  }
}

absl::StatusOr<AppendResult> EventStore::Append(AppendRequest request, absl::Time deadline) {
  ORDO_RETURN_IF_ERROR(CheckAppend(request));
  if (coalescer_) return coalescer_->Append(std::move(request), deadline);
  return AppendOne(request, deadline);
}

void EventStore::AppendAsync(AppendRequest request, absl::Time deadline,
                             AppendCoalescer::Done done) {
  if (absl::Status checked = CheckAppend(request); !checked.ok()) {
    std::move(done)(checked);
  } else if (coalescer_) {
    coalescer_->Submit(std::move(request), deadline, std::move(done));
  } else {
    std::move(done)(AppendOne(request, deadline));
  }
}

absl::StatusOr<AppendResult> EventStore::AppendOne(const AppendRequest& request,
                                                   absl::Time deadline) {
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
          options_.notify_mode == NotifyMode::kInTransaction);
      if (rows.empty()) return NotAtVersion(request);
      return AppendResult{request.stream_id, rows[0][0].as<int32_t>(),
                          LogPosition{rows[0][2].as<uint64_t>(), rows[0][1].as<int64_t>()}};
    });
  }
  if (appended.ok()) {
    AppendMetrics::Get().Appended(request.stream_type, request.events.size());
    AppendMetrics::Get().Committed(1);
    NotifyAfterCommit({&request});
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

std::vector<absl::StatusOr<AppendResult>> EventStore::AppendBatch(
    const std::vector<const AppendRequest*>& requests, absl::Time deadline) {
  std::vector<absl::StatusOr<AppendResult>> results;
  absl::flat_hash_set<std::string_view> streams;
  for (const AppendRequest* request : requests) {
    absl::Status checked = CheckAppend(*request);
    if (checked.ok() && !streams.insert(request->stream_id).second) {
      checked = absl::InvalidArgumentError("stream_id: appears twice in one batch");
    }
    if (!checked.ok()) {
      results.assign(requests.size(),
                     absl::InvalidArgumentError(
                         absl::StrCat("append to ", request->stream_id, ": ", checked.message())));
      return results;
    }
  }
  if (requests.size() == 1) return {AppendOne(*requests[0], deadline)};
  std::vector<std::string> stream_ids, stream_types, metadata, request_ids, fingerprints;
  std::vector<int64_t> expected;
  std::vector<int64_t> event_request, event_n, schema_versions;
  std::vector<std::string> types, payloads;
  for (size_t i = 0; i < requests.size(); ++i) {
    const AppendRequest& request = *requests[i];
    stream_ids.push_back(request.stream_id);
    stream_types.push_back(request.stream_type);
    expected.push_back(request.expected_version);
    metadata.push_back(request.metadata_json);
    request_ids.push_back(request.request ? request.request->request_id : "");
    fingerprints.push_back(request.request ? request.request->fingerprint : "");
    for (size_t n = 0; n < request.events.size(); ++n) {
      const NewEvent& event = request.events[n];
      event_request.push_back(static_cast<int64_t>(i) + 1);
      event_n.push_back(static_cast<int64_t>(n) + 1);
      types.push_back(event.event_type);
      schema_versions.push_back(event.schema_version);
      payloads.push_back(event.payload_json);
    }
  }
  absl::StatusOr<pqxx::result> rows = [&]() -> absl::StatusOr<pqxx::result> {
    ORDO_ASSIGN_OR_RETURN(ConnectionPool::Lease connection, pool_.Acquire(deadline));
    return GuardPq("append batch", [&]() -> absl::StatusOr<pqxx::result> {
      connection->prepare(kAppendBatch, kAppendBatchSql);
      pqxx::nontransaction tx(*connection);
      return tx.exec_prepared(
          kAppendBatch, TextArrayLiteral(stream_ids), TextArrayLiteral(stream_types),
          IntArrayLiteral(expected), TextArrayLiteral(metadata), TextArrayLiteral(request_ids),
          TextArrayLiteral(fingerprints), IntArrayLiteral(event_request), IntArrayLiteral(event_n),
          TextArrayLiteral(types), IntArrayLiteral(schema_versions), TextArrayLiteral(payloads),
          options_.notify_mode == NotifyMode::kInTransaction);
    });
  }();

  if (!rows.ok()) {
    // Nothing was written. A lost database fails them all alike; anything else (a
    // concurrent writer, a request_id seen before) belongs to some of them: run each alone.
    const absl::Status& status = rows.status();
    const bool shared = absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status);
    for (const AppendRequest* request : requests) {
      results.push_back(shared ? absl::StatusOr<AppendResult>(status)
                               : AppendOne(*request, deadline));
    }
    return results;
  }
  absl::flat_hash_map<std::string, AppendResult> by_stream;
  for (const pqxx::row& row : *rows) {
    AppendResult result{row[0].as<std::string>(), row[1].as<int32_t>(),
                        LogPosition{row[3].as<uint64_t>(), row[2].as<int64_t>()}};
    by_stream.emplace(result.stream_id, result);
  }
  for (const AppendRequest* request : requests) {
    auto it = by_stream.find(request->stream_id);
    results.push_back(it == by_stream.end() ? absl::StatusOr<AppendResult>(NotAtVersion(*request))
                                            : absl::StatusOr<AppendResult>(it->second));
  }
  if (!by_stream.empty()) {
    AppendMetrics& metrics = AppendMetrics::Get();
    metrics.Committed(by_stream.size());
    std::vector<const AppendRequest*> committed;
    for (const AppendRequest* request : requests) {
      if (by_stream.contains(request->stream_id)) {
        metrics.Appended(request->stream_type, request->events.size());
        committed.push_back(request);
      }
    }
    NotifyAfterCommit(committed);
  }
  return results;
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

absl::StatusOr<std::optional<Snapshot>> EventStore::ReadSnapshot(const std::string& stream_id,
                                                                 int32_t schema_version,
                                                                 absl::Time deadline) {
  ORDO_ASSIGN_OR_RETURN(ConnectionPool::Lease connection, pool_.Acquire(deadline));
  return GuardPq("read snapshot", [&]() -> absl::StatusOr<std::optional<Snapshot>> {
    connection->prepare(kReadSnapshot, kReadSnapshotSql);
    pqxx::nontransaction tx(*connection);
    pqxx::result rows = tx.exec_prepared(kReadSnapshot, stream_id, schema_version);
    if (rows.empty()) return std::optional<Snapshot>();
    const pqxx::row& row = rows[0];
    Snapshot snapshot;
    snapshot.stream_id = stream_id;
    snapshot.stream_type = row[0].as<std::string>();
    snapshot.version = row[1].as<int32_t>();
    snapshot.position = LogPosition{row[2].as<uint64_t>(), row[3].as<int64_t>()};
    snapshot.schema_version = schema_version;
    snapshot.state_json = row[4].as<std::string>();
    return std::optional<Snapshot>(std::move(snapshot));
  });
}

absl::Status EventStore::WriteSnapshot(const Snapshot& snapshot, absl::Time deadline) {
  ORDO_ASSIGN_OR_RETURN(ConnectionPool::Lease connection, pool_.Acquire(deadline));
  return GuardPq("write snapshot", [&]() -> absl::Status {
    connection->prepare(kWriteSnapshot, kWriteSnapshotSql);
    pqxx::nontransaction tx(*connection);
    tx.exec_prepared(kWriteSnapshot, snapshot.stream_id, snapshot.stream_type, snapshot.version,
                     std::to_string(snapshot.position.tx_id), snapshot.position.global_position,
                     snapshot.schema_version, snapshot.state_json);
    return absl::OkStatus();
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
