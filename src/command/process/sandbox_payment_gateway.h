// The built-in payment gateway (--payment_gateway=sandbox, DESIGN §11), with the rules of
// a provider's test mode: a customer id starting "decline-" is declined, one starting
// "timeout-" is never answered, a total above the limit is declined, everything else is
// authorised. Its ledger (table sandbox_payment_operations) keeps every answer by
// idempotency key, so a repeated key gets the first answer, also after a restart.
#ifndef ORDO_COMMAND_PROCESS_SANDBOX_PAYMENT_GATEWAY_H_
#define ORDO_COMMAND_PROCESS_SANDBOX_PAYMENT_GATEWAY_H_

#include <cstdint>
#include <string>

#include "command/process/payment_gateway.h"
#include "store/pg/connection_pool.h"

namespace ordo::process {

class SandboxPaymentGateway : public PaymentGateway {
 public:
  // `pool` must outlive the gateway.
  SandboxPaymentGateway(store::ConnectionPool& pool, int64_t limit_cents)
      : pool_(pool), limit_cents_(limit_cents) {}

  absl::StatusOr<AuthorizationAnswer> Authorize(const std::string& key,
                                                const std::string& customer_id,
                                                int64_t amount_cents,
                                                const std::string& currency) override;
  absl::Status Capture(const std::string& key, const std::string& authorization_key,
                       int64_t amount_cents) override;
  absl::Status Void(const std::string& key, const std::string& authorization_key) override;

 private:
  // Records `answer` for `key` unless the key has one; returns the key's answer.
  absl::StatusOr<std::string> Record(const std::string& key, const char* operation,
                                     const std::string& payment_ref, int64_t amount_cents,
                                     const std::string& answer);

  store::ConnectionPool& pool_;
  const int64_t limit_cents_;
};

}  // namespace ordo::process

#endif  // ORDO_COMMAND_PROCESS_SANDBOX_PAYMENT_GATEWAY_H_
