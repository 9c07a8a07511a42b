// Expires idempotency records in small batches.
#include "store/log/request_expiry.h"

#include <memory>
#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/result>

#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "common/metrics.h"
#include "store/pg/pg_status.h"

namespace ordo::store {
namespace {

// The oldest rows first, at most $2 of them, none that another session holds.
constexpr char kExpireSql[] = R"sql(
DELETE FROM command_requests
 WHERE request_id IN (
   SELECT request_id FROM command_requests
    WHERE recorded_at < now() - $1::bigint * interval '1 second'
    ORDER BY recorded_at LIMIT $2 FOR UPDATE SKIP LOCKED))sql";

// A pause between full batches leaves the database to the appends.
constexpr absl::Duration kBetweenBatches = absl::Milliseconds(20);

}  // namespace

RequestExpiry::RequestExpiry(std::string connection_string, RequestExpiryOptions options)
    : connection_string_(std::move(connection_string)),
      options_(options),
      expired_(AddCounter("ordo_command_requests_expired_total",
                          "Idempotency records deleted after the retention.")) {}

RequestExpiry::~RequestExpiry() {
  stop_.Raise();
  if (thread_.joinable()) thread_.join();
}

void RequestExpiry::Start() {
  thread_ = std::thread([this] { Run(); });
}

void RequestExpiry::Run() {
  std::unique_ptr<pqxx::connection> connection;
  std::string last_error;
  for (;;) {
    absl::StatusOr<int64_t> deleted = GuardPq("expire requests", [&]() -> absl::StatusOr<int64_t> {
      if (connection == nullptr || !connection->is_open()) {
        connection = std::make_unique<pqxx::connection>(connection_string_);
        pqxx::nontransaction(*connection).exec("SET statement_timeout = '10s'");
      }
      pqxx::nontransaction tx(*connection);
      pqxx::result rows =
          tx.exec_params(kExpireSql, absl::ToInt64Seconds(options_.retention), options_.batch_size);
      return static_cast<int64_t>(rows.affected_rows());
    });
    if (deleted.ok()) {
      expired_.Increment(static_cast<double>(*deleted));
      last_error.clear();
    } else {
      connection.reset();
      if (deleted.status().ToString() != last_error) {
        last_error = deleted.status().ToString();
        Log(LogLevel::kWarning, absl::StrCat("expiring idempotency records: ",
                                             deleted.status().message(), "; retrying"));
      }
    }
    const bool more = deleted.ok() && *deleted == options_.batch_size;
    if (stop_.WaitFor(more ? kBetweenBatches : options_.interval)) return;
  }
}

}  // namespace ordo::store
