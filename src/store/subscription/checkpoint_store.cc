// The subscriber checkpoint rows.
#include "store/subscription/checkpoint_store.h"

#include <pqxx/result>

#include "absl/strings/str_cat.h"

namespace ordo::store {
namespace {

constexpr char kEnsureSql[] =
    "INSERT INTO projection_checkpoints (name) VALUES ($1) ON CONFLICT (name) DO NOTHING";

constexpr char kEnsureAtHeadSql[] = R"sql(
INSERT INTO projection_checkpoints (name, tx_id, global_position)
SELECT $1, coalesce(head.tx_id, '0'::xid8), coalesce(head.global_position, 0)
  FROM (SELECT 1) AS one
  LEFT JOIN LATERAL (
    SELECT tx_id, global_position FROM events WHERE tx_id < ordo_visible_tx_floor()
     ORDER BY tx_id DESC, global_position DESC LIMIT 1) AS head ON true
ON CONFLICT (name) DO NOTHING)sql";

constexpr char kRead[] = "ordo_read_checkpoint";
constexpr char kReadSql[] =
    "SELECT tx_id, global_position, state, rebuild_requested_at IS NOT NULL"
    "  FROM projection_checkpoints WHERE name = $1";

constexpr char kAdvance[] = "ordo_advance_checkpoint";
constexpr char kAdvanceSql[] =
    "UPDATE projection_checkpoints"
    "   SET tx_id = $2::xid8, global_position = $3, heartbeat_at = now(), updated_at = now()"
    " WHERE name = $1 AND tx_id = $4::xid8 AND global_position = $5"
    " RETURNING state, rebuild_requested_at IS NOT NULL";

constexpr char kHeartbeat[] = "ordo_checkpoint_heartbeat";
constexpr char kHeartbeatSql[] =
    "UPDATE projection_checkpoints SET heartbeat_at = now() WHERE name = $1";

constexpr char kFinishRebuildSql[] =
    "UPDATE projection_checkpoints SET state = 'running', updated_at = now()"
    " WHERE name = $1 AND state = 'rebuilding'";

constexpr char kFailSql[] =
    "UPDATE projection_checkpoints SET state = 'failed', last_error = $2, updated_at = now()"
    " WHERE name = $1";

constexpr char kResetSql[] =
    "UPDATE projection_checkpoints"
    "   SET tx_id = '0', global_position = 0, state = 'rebuilding', last_error = NULL,"
    "       rebuild_requested_at = NULL, updated_at = now()"
    " WHERE name = $1";

constexpr char kRequestRebuildSql[] =
    "UPDATE projection_checkpoints SET rebuild_requested_at = now() WHERE name = $1";

constexpr char kDropRebuildRequestSql[] =
    "UPDATE projection_checkpoints SET rebuild_requested_at = NULL WHERE name = $1";

}  // namespace

const char* ToSql(CheckpointState state) {
  switch (state) {
    case CheckpointState::kRunning:
      return "running";
    case CheckpointState::kRebuilding:
      return "rebuilding";
    case CheckpointState::kFailed:
      return "failed";
  }
  return "running";
}

std::optional<CheckpointState> CheckpointStateFromSql(const std::string& text) {
  for (CheckpointState state :
       {CheckpointState::kRunning, CheckpointState::kRebuilding, CheckpointState::kFailed}) {
    if (text == ToSql(state)) return state;
  }
  return std::nullopt;
}

namespace checkpoint_store {

void Ensure(pqxx::transaction_base& tx, const std::string& name) {
  tx.exec_params(kEnsureSql, name);
}

void EnsureAtHead(pqxx::transaction_base& tx, const std::string& name) {
  tx.exec_params(kEnsureAtHeadSql, name);
}

absl::StatusOr<Checkpoint> Read(pqxx::transaction_base& tx, const std::string& name) {
  tx.conn().prepare(kRead, kReadSql);
  pqxx::result rows = tx.exec_prepared(kRead, name);
  if (rows.empty()) {
    return absl::NotFoundError(absl::StrCat("subscriber ", name, " has not started yet"));
  }
  std::optional<CheckpointState> state = CheckpointStateFromSql(rows[0][2].as<std::string>());
  if (!state) return absl::DataLossError(absl::StrCat("subscriber ", name, ": unknown state"));
  return Checkpoint{LogPosition{rows[0][0].as<uint64_t>(), rows[0][1].as<int64_t>()}, *state,
                    rows[0][3].as<bool>()};
}

absl::StatusOr<Checkpoint> Advance(pqxx::transaction_base& tx, const std::string& name,
                                   const LogPosition& from, const LogPosition& to) {
  tx.conn().prepare(kAdvance, kAdvanceSql);
  pqxx::result moved =
      tx.exec_prepared(kAdvance, name, std::to_string(to.tx_id), to.global_position,
                       std::to_string(from.tx_id), from.global_position);
  if (moved.size() != 1) {
    return absl::AbortedError(absl::StrCat("checkpoint of ", name, " moved by another runner"));
  }
  std::optional<CheckpointState> state = CheckpointStateFromSql(moved[0][0].as<std::string>());
  if (!state) return absl::DataLossError(absl::StrCat("subscriber ", name, ": unknown state"));
  return Checkpoint{to, *state, moved[0][1].as<bool>()};
}

void Heartbeat(pqxx::transaction_base& tx, const std::string& name) {
  tx.conn().prepare(kHeartbeat, kHeartbeatSql);
  tx.exec_prepared(kHeartbeat, name);
}

void FinishRebuild(pqxx::transaction_base& tx, const std::string& name) {
  tx.exec_params(kFinishRebuildSql, name);
}

void Fail(pqxx::transaction_base& tx, const std::string& name, const std::string& error) {
  tx.exec_params(kFailSql, name, error);
}

void ResetForRebuild(pqxx::transaction_base& tx, const std::string& name) {
  tx.exec_params(kResetSql, name);
}

bool RequestRebuild(pqxx::transaction_base& tx, const std::string& name) {
  return tx.exec_params(kRequestRebuildSql, name).affected_rows() == 1;
}

void DropRebuildRequest(pqxx::transaction_base& tx, const std::string& name) {
  tx.exec_params(kDropRebuildRequestSql, name);
}

}  // namespace checkpoint_store
}  // namespace ordo::store
