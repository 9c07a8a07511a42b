// The commands a Payment accepts, as plain values. Sent by ordo-saga: the gateway's answer
// is recorded by a command after the gateway was called outside any transaction.
#ifndef ORDO_COMMAND_DOMAIN_PAYMENT_PAYMENT_COMMANDS_H_
#define ORDO_COMMAND_DOMAIN_PAYMENT_PAYMENT_COMMANDS_H_

#include <cstdint>
#include <string>
#include <variant>

namespace ordo::domain {

struct RequestPayment {
  static constexpr char kName[] = "RequestPayment";
  std::string order_id;
  std::string customer_id;
  int64_t amount_cents = 0;
  std::string currency;
};

struct RecordAuthorization {
  static constexpr char kName[] = "RecordAuthorization";
  std::string order_id;
  std::string authorization_id;
};

struct RecordDecline {
  static constexpr char kName[] = "RecordDecline";
  std::string order_id;
  std::string reason;
};

// The deadline passed: void the payment if the gateway has not answered.
struct ExpirePayment {
  static constexpr char kName[] = "ExpirePayment";
  std::string order_id;
};

struct VoidPayment {
  static constexpr char kName[] = "VoidPayment";
  std::string order_id;
  std::string reason;
};

struct RecordCapture {
  static constexpr char kName[] = "RecordCapture";
  std::string order_id;
};

struct RefundPayment {
  static constexpr char kName[] = "RefundPayment";
  std::string order_id;
  std::string reason;
};

using PaymentCommand = std::variant<RequestPayment, RecordAuthorization, RecordDecline,
                                    ExpirePayment, VoidPayment, RecordCapture, RefundPayment>;

inline const std::string& TargetOrderId(const PaymentCommand& command) {
  return std::visit([](const auto& c) -> const std::string& { return c.order_id; }, command);
}

}  // namespace ordo::domain

#endif  // ORDO_COMMAND_DOMAIN_PAYMENT_PAYMENT_COMMANDS_H_
