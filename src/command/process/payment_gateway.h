// A payment provider as the saga sees it (DESIGN §11). Called outside any database
// transaction, every call with an idempotency key: a repeated key is answered as the
// first time, so a step repeated after a crash charges nothing twice.
#ifndef ORDO_COMMAND_PROCESS_PAYMENT_GATEWAY_H_
#define ORDO_COMMAND_PROCESS_PAYMENT_GATEWAY_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace ordo::process {

struct AuthorizationAnswer {
  enum class Outcome { kAuthorized, kDeclined, kNoAnswer };
  Outcome outcome = Outcome::kNoAnswer;
  std::string authorization_id;  // kAuthorized
  std::string reason;            // kDeclined
};

class PaymentGateway {
 public:
  virtual ~PaymentGateway() = default;

  // kNoAnswer: nothing came back (yet); the caller's deadline decides what happens.
  virtual absl::StatusOr<AuthorizationAnswer> Authorize(const std::string& key,
                                                        const std::string& customer_id,
                                                        int64_t amount_cents,
                                                        const std::string& currency) = 0;
  // Charges what `authorization_key` authorised. FAILED_PRECONDITION when it cannot be
  // captured (never authorised, or voided).
  virtual absl::Status Capture(const std::string& key, const std::string& authorization_key,
                               int64_t amount_cents) = 0;
  // Voids `authorization_key`: also one that has not been answered yet, which then can
  // never be authorised.
  virtual absl::Status Void(const std::string& key, const std::string& authorization_key) = 0;
};

}  // namespace ordo::process

#endif  // ORDO_COMMAND_PROCESS_PAYMENT_GATEWAY_H_
