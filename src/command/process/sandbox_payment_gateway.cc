// The sandbox payment gateway: test-mode rules and a ledger keyed by idempotency key.
#include "command/process/sandbox_payment_gateway.h"

#include <pqxx/nontransaction>
#include <pqxx/result>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/status_macros.h"
#include "store/pg/pg_status.h"

namespace ordo::process {
namespace {

constexpr char kAuthorized[] = "authorized";
constexpr char kNoAnswer[] = "no answer";
constexpr char kDeclinedPrefix[] = "declined: ";
constexpr char kCaptured[] = "captured";
constexpr char kRefusedPrefix[] = "refused: ";

// One statement: the key's first answer stays. A void recorded before the authorisation
// turns it into a decline, so a voided payment can never be authorised late.
constexpr char kRecordSql[] = R"sql(
WITH inserted AS (
  INSERT INTO sandbox_payment_operations (idempotency_key, operation, payment_ref,
                                          amount_cents, answer)
  SELECT $1, $2, $3, $4,
         CASE WHEN $2 = 'authorize' AND EXISTS (
                     SELECT 1 FROM sandbox_payment_operations
                      WHERE payment_ref = $3 AND operation = 'void')
              THEN 'declined: voided before it was answered'
              WHEN $2 = 'capture' AND NOT EXISTS (
                     SELECT 1 FROM sandbox_payment_operations
                      WHERE idempotency_key = $3 AND answer = 'authorized')
              THEN 'refused: not authorised'
              WHEN $2 = 'capture' AND EXISTS (
                     SELECT 1 FROM sandbox_payment_operations
                      WHERE payment_ref = $3 AND operation = 'void')
              THEN 'refused: voided'
              ELSE $5 END
  ON CONFLICT (idempotency_key) DO NOTHING
  RETURNING answer)
SELECT answer FROM inserted
UNION ALL
SELECT answer FROM sandbox_payment_operations
 WHERE idempotency_key = $1 AND NOT EXISTS (SELECT 1 FROM inserted))sql";

}  // namespace

absl::StatusOr<std::string> SandboxPaymentGateway::Record(const std::string& key,
                                                          const char* operation,
                                                          const std::string& payment_ref,
                                                          int64_t amount_cents,
                                                          const std::string& answer) {
  return store::GuardPq("payment gateway", [&]() -> absl::StatusOr<std::string> {
    ORDO_ASSIGN_OR_RETURN(store::ConnectionPool::Lease connection,
                          pool_.Acquire(absl::Now() + absl::Seconds(5)));
    pqxx::nontransaction tx(*connection);
    for (int attempt = 0; attempt < 3; ++attempt) {
      pqxx::result rows =
          tx.exec_params(kRecordSql, key, operation, payment_ref, amount_cents, answer);
      // Empty only when a twin call inserted the key after this statement's snapshot.
      if (!rows.empty()) return rows[0][0].as<std::string>();
    }
    return absl::UnavailableError(absl::StrCat("payment gateway: no answer for key ", key));
  });
}

absl::StatusOr<AuthorizationAnswer> SandboxPaymentGateway::Authorize(const std::string& key,
                                                                     const std::string& customer_id,
                                                                     int64_t amount_cents,
                                                                     const std::string&) {
  std::string rule = kAuthorized;
  if (absl::StartsWith(customer_id, "decline-")) {
    rule = absl::StrCat(kDeclinedPrefix, "card declined (sandbox customer ", customer_id, ")");
  } else if (absl::StartsWith(customer_id, "timeout-")) {
    rule = kNoAnswer;
  } else if (amount_cents > limit_cents_) {
    rule = absl::StrCat(kDeclinedPrefix, "amount ", amount_cents, " above the limit of ",
                        limit_cents_, " cents");
  }
  ORDO_ASSIGN_OR_RETURN(std::string answer, Record(key, "authorize", key, amount_cents, rule));
  AuthorizationAnswer result;
  if (answer == kAuthorized) {
    result.outcome = AuthorizationAnswer::Outcome::kAuthorized;
    result.authorization_id = absl::StrCat("sandbox:", key);
  } else if (absl::StartsWith(answer, kDeclinedPrefix)) {
    result.outcome = AuthorizationAnswer::Outcome::kDeclined;
    result.reason = answer.substr(sizeof(kDeclinedPrefix) - 1);
  }
  return result;
}

absl::Status SandboxPaymentGateway::Capture(const std::string& key,
                                            const std::string& authorization_key,
                                            int64_t amount_cents) {
  ORDO_ASSIGN_OR_RETURN(std::string answer,
                        Record(key, "capture", authorization_key, amount_cents, kCaptured));
  if (answer == kCaptured) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat("payment gateway: capture of ",
                                                    authorization_key, " ",
                                                    absl::StripPrefix(answer, kRefusedPrefix)));
}

absl::Status SandboxPaymentGateway::Void(const std::string& key,
                                         const std::string& authorization_key) {
  return Record(key, "void", authorization_key, 0, "voided").status();
}

}  // namespace ordo::process
