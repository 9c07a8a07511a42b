// One AMQP 0-9-1 connection to RabbitMQ with one channel, over rabbitmq-c 0.11, as
// absl::Status: declaring the topology, publishing with publisher confirms, and consuming
// with manual acks. A broken connection (the broker gone, a socket error, a closed
// channel) is UNAVAILABLE and the object is then spent: make a new one. Not thread-safe;
// one connection per thread, and a consumer never on a confirm channel.
#ifndef ORDO_RELAY_AMQP_CONNECTION_H_
#define ORDO_RELAY_AMQP_CONNECTION_H_

#include <amqp.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace ordo::relay {

// A header value: text or an integer.
using HeaderValue = std::variant<std::string, int64_t>;

struct OutgoingMessage {
  std::string routing_key;
  std::string message_id;
  std::string type;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, HeaderValue>> headers;
  std::string body;
  bool persistent = true;
};

struct Delivery {
  uint64_t delivery_tag = 0;
  bool redelivered = false;
  std::string exchange;
  std::string routing_key;
  std::string message_id;
  std::string type;
  std::string content_type;
  // Text and integer headers as text; others (tables, arrays such as x-death) as "".
  std::map<std::string, std::string> headers;
  std::string body;
};

// A publisher confirm: the broker took (ack) or refused (nack) the message of
// `delivery_tag`, and when `multiple`, every earlier one too.
struct Confirm {
  uint64_t delivery_tag = 0;
  bool multiple = false;
  bool ack = true;
};

struct QueueOptions {
  std::string dead_letter_exchange;     // x-dead-letter-exchange; empty: none
  std::string dead_letter_routing_key;  // x-dead-letter-routing-key; empty: the message's own
};

class AmqpConnection {
 public:
  // Connects to `url` (amqp://user:password@host:port, or with /vhost; no path is the vhost "/"),
  // logs in and opens channel 1; every broker call afterwards waits at most `timeout`.
  // INVALID_ARGUMENT for a malformed URL, UNAVAILABLE when the broker cannot be reached or refuses
  // the login. `heartbeat_seconds` 0 turns heartbeats off (they are serviced only inside calls).
  static absl::StatusOr<std::unique_ptr<AmqpConnection>> Open(const std::string& url,
                                                              absl::Duration timeout,
                                                              int heartbeat_seconds = 0);
  ~AmqpConnection();
  AmqpConnection(const AmqpConnection&) = delete;
  AmqpConnection& operator=(const AmqpConnection&) = delete;

  // A durable exchange of `type` ("topic").
  absl::Status DeclareExchange(const std::string& name, const std::string& type);
  // A durable queue.
  absl::Status DeclareQueue(const std::string& name, const QueueOptions& options = {});
  absl::Status BindQueue(const std::string& queue, const std::string& exchange,
                         const std::string& binding_key);
  // Deletes a queue (tests and benchmarks clean up with it).
  absl::Status DeleteQueue(const std::string& name);

  // Puts the channel in confirm mode: every later publish gets a delivery tag, 1, 2, ...
  absl::Status EnableConfirms();
  // Sends one message; with confirms on, returns its delivery tag.
  absl::StatusOr<uint64_t> Publish(const std::string& exchange, const OutgoingMessage& message);
  // The next confirm within `timeout`; nullopt when none came.
  absl::StatusOr<std::optional<Confirm>> NextConfirm(absl::Duration timeout);

  // Starts consuming `queue` with manual acks, at most `prefetch` unacknowledged.
  absl::Status Consume(const std::string& queue, int prefetch);
  // The next delivery within `timeout`; nullopt when none came. UNAVAILABLE when the
  // connection broke, the channel closed, or the broker cancelled the consumer (its queue
  // was deleted): then connect and consume again.
  absl::StatusOr<std::optional<Delivery>> NextDelivery(absl::Duration timeout);
  absl::Status Ack(uint64_t delivery_tag);
  // Refuses a delivery; without requeue the broker dead-letters it (when the queue has a
  // dead-letter exchange) or drops it.
  absl::Status Nack(uint64_t delivery_tag, bool requeue);

 private:
  AmqpConnection(amqp_connection_state_t state, absl::Duration timeout)
      : state_(state), timeout_(timeout) {}
  // OK, or the error of the last synchronous call (`what` names it).
  absl::Status CheckReply(const char* what);
  // UNAVAILABLE for a library status code; marks the connection broken.
  absl::Status Broken(const char* what, int code);

  amqp_connection_state_t state_;
  const absl::Duration timeout_;
  bool broken_ = false;
  uint64_t next_delivery_tag_ = 0;  // 0: confirms off
};

}  // namespace ordo::relay

#endif  // ORDO_RELAY_AMQP_CONNECTION_H_
