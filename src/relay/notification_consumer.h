// ordo-notify's consumer (DESIGN §12): declares its topology (the events exchange, its
// durable queue ordo.notify bound to the order events it needs, dead-lettering through the
// exchange ordo.dlx with routing key ordo.notify into the durable queue ordo.notify.dlq), consumes
// with manual acks, and for each message records its effect and the message id in the inbox in one
// transaction, then acks. A message id already in the inbox is acked and ignored; a message it can
// never handle is nacked without requeue (so the broker dead-letters it); with the database down it
// is nacked with requeue and tried again after a pause. A lost broker is reconnected with backoff.
// Owns one thread, one broker connection and one database connection.
#ifndef ORDO_RELAY_NOTIFICATION_CONSUMER_H_
#define ORDO_RELAY_NOTIFICATION_CONSUMER_H_

#include <memory>
#include <pqxx/connection>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/stop_signal.h"
#include "relay/amqp_connection.h"

namespace ordo::relay {

struct NotificationConsumerOptions {
  std::string amqp_url;
  std::string exchange = "ordo.events";
  std::string queue = "ordo.notify";
  std::string dead_letter_exchange = "ordo.dlx";
  std::string dead_letter_queue = "ordo.notify.dlq";
  int prefetch = 50;
  absl::Duration broker_timeout = absl::Seconds(5);
  absl::Duration max_backoff = absl::Seconds(5);
};

// Declares the exchange, the queue with its dead-letter set-up, and the bindings.
absl::Status DeclareNotifyTopology(AmqpConnection& connection,
                                   const NotificationConsumerOptions& options);

class NotificationConsumer {
 public:
  NotificationConsumer(std::string database_url, NotificationConsumerOptions options)
      : database_url_(std::move(database_url)), options_(std::move(options)) {}
  ~NotificationConsumer();  // stops and joins
  NotificationConsumer(const NotificationConsumer&) = delete;
  NotificationConsumer& operator=(const NotificationConsumer&) = delete;

  void Start();
  void Stop();

 private:
  enum class Outcome { kDone, kPoison, kRetry };
  class ConsumerMetrics;

  void Run();
  // Consumes on `connection` until it breaks or Stop().
  absl::Status ConsumeUntilBroken(AmqpConnection& connection);
  Outcome Handle(const Delivery& delivery);

  const std::string database_url_;
  const NotificationConsumerOptions options_;
  std::unique_ptr<pqxx::connection> database_;  // made on first use, dropped when broken
  absl::Duration database_backoff_ = absl::ZeroDuration();
  StopSignal stop_;
  std::thread thread_;
};

}  // namespace ordo::relay

#endif  // ORDO_RELAY_NOTIFICATION_CONSUMER_H_
