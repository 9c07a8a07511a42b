// ordo-notify's consumer: RabbitMQ deliveries to customer notifications, exactly once in
// effect through the inbox.
#include "relay/notification_consumer.h"

#include <algorithm>
#include <pqxx/result>
#include <pqxx/transaction>

#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "common/metrics.h"
#include "relay/event_message.h"
#include "relay/order_notifications.h"
#include "store/pg/pg_status.h"

namespace ordo::relay {
namespace {

constexpr char kConsumerName[] = "ordo-notify";
constexpr absl::Duration kInitialBackoff = absl::Milliseconds(200);

}  // namespace

// ordo_consumer_messages_total{consumer="notify",outcome}: what became of each delivery.
class NotificationConsumer::ConsumerMetrics {
 public:
  static ConsumerMetrics& Get() {
    static ConsumerMetrics* metrics = new ConsumerMetrics();
    return *metrics;
  }
  void Count(Outcome outcome) {
    switch (outcome) {
      case Outcome::kDone:
        done_.Increment();
        break;
      case Outcome::kPoison:
        dead_lettered_.Increment();
        break;
      case Outcome::kRetry:
        requeued_.Increment();
        break;
    }
  }

 private:
  static prometheus::Counter& Series(const char* outcome) {
    return AddCounter("ordo_consumer_messages_total",
                      "Messages a RabbitMQ consumer of Ordo's took: done (recorded or a "
                      "duplicate), dead_lettered (poison), requeued (the database was down).",
                      {{"consumer", "notify"}, {"outcome", outcome}});
  }
  prometheus::Counter& done_ = Series("done");
  prometheus::Counter& dead_lettered_ = Series("dead_lettered");
  prometheus::Counter& requeued_ = Series("requeued");
};

namespace {
constexpr absl::Duration kPollStop = absl::Milliseconds(250);

// The inbox row and the effect in one transaction: true when recorded, false when the
// message id was handled before. FAILED_PRECONDITION when it cannot ever be handled.
absl::StatusOr<bool> Record(pqxx::connection& connection, const std::string& message_id,
                            const store::RecordedEvent& event, const OrderNotice& notice) {
  return store::GuardPq("notify", [&]() -> absl::StatusOr<bool> {
    pqxx::work tx(connection);
    pqxx::result inbox = tx.exec_params(
        "INSERT INTO message_inbox (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        kConsumerName, message_id);
    if (inbox.affected_rows() == 0) {
      tx.commit();
      return false;
    }
    if (!notice.customer_id.empty()) {
      tx.exec_params(
          "INSERT INTO notify_order_customers (order_id, customer_id) VALUES ($1, $2)"
          " ON CONFLICT (order_id) DO NOTHING",
          notice.order_id, notice.customer_id);
    }
    if (!notice.kind.empty()) {
      pqxx::result customer = tx.exec_params(
          "SELECT customer_id FROM notify_order_customers WHERE order_id = $1", notice.order_id);
      if (customer.empty()) {
        return absl::FailedPreconditionError(
            absl::StrCat("order ", notice.order_id, ": its OrderCreated never came"));
      }
      tx.exec_params(
          "INSERT INTO customer_notifications (customer_id, order_id, kind, text, event_id)"
          " VALUES ($1, $2, $3, $4, $5::uuid) ON CONFLICT (event_id) DO NOTHING",
          customer[0][0].as<std::string>(), notice.order_id, notice.kind, notice.text,
          event.event_id);
    }
    tx.commit();
    return true;
  });
}

}  // namespace

absl::Status DeclareNotifyTopology(AmqpConnection& connection,
                                   const NotificationConsumerOptions& options) {
  if (absl::Status s = connection.DeclareExchange(options.exchange, "topic"); !s.ok()) return s;
  if (absl::Status s = connection.DeclareExchange(options.dead_letter_exchange, "topic"); !s.ok()) {
    return s;
  }
  if (absl::Status s = connection.DeclareQueue(options.dead_letter_queue); !s.ok()) return s;
  // Dead letters are routed by the queue's name, so other consumers' dead letters on the
  // same exchange do not land here.
  if (absl::Status s = connection.BindQueue(options.dead_letter_queue, options.dead_letter_exchange,
                                            options.queue);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          connection.DeclareQueue(options.queue, {options.dead_letter_exchange, options.queue});
      !s.ok()) {
    return s;
  }
  for (const char* type : kNotifyEventTypes) {
    if (absl::Status s =
            connection.BindQueue(options.queue, options.exchange, absl::StrCat("order.", type));
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

NotificationConsumer::~NotificationConsumer() { Stop(); }

void NotificationConsumer::Start() {
  ConsumerMetrics::Get();  // the series exist before the first message
  thread_ = std::thread([this] { Run(); });
}

void NotificationConsumer::Stop() {
  stop_.Raise();
  if (thread_.joinable()) thread_.join();
}

void NotificationConsumer::Run() {
  absl::Duration backoff = kInitialBackoff;
  std::string last_error;
  while (!stop_.raised()) {
    absl::Status status;
    absl::StatusOr<std::unique_ptr<AmqpConnection>> connection =
        AmqpConnection::Open(options_.amqp_url, options_.broker_timeout, /*heartbeat=*/10);
    if (connection.ok()) {
      status = DeclareNotifyTopology(**connection, options_);
      if (status.ok()) status = (*connection)->Consume(options_.queue, options_.prefetch);
      if (status.ok()) {
        LogLine(absl::StrCat("consuming ", options_.queue));
        last_error.clear();
        backoff = kInitialBackoff;
        status = ConsumeUntilBroken(**connection);
      }
    } else {
      status = connection.status();
    }
    if (status.ok()) break;  // stopping
    if (std::string(status.message()) != last_error) {
      last_error = std::string(status.message());
      LogLine(absl::StrCat(last_error, "; reconnecting"));
    }
    if (stop_.WaitFor(backoff)) break;
    backoff = std::min(options_.max_backoff, 2 * backoff);
  }
}

absl::Status NotificationConsumer::ConsumeUntilBroken(AmqpConnection& connection) {
  while (!stop_.raised()) {
    absl::StatusOr<std::optional<Delivery>> delivery = connection.NextDelivery(kPollStop);
    if (!delivery.ok()) return delivery.status();
    if (!delivery->has_value()) continue;
    const Delivery& d = **delivery;
    const Outcome outcome = Handle(d);
    ConsumerMetrics::Get().Count(outcome);
    switch (outcome) {
      case Outcome::kDone:
        if (absl::Status s = connection.Ack(d.delivery_tag); !s.ok()) return s;
        break;
      case Outcome::kPoison:
        if (absl::Status s = connection.Nack(d.delivery_tag, /*requeue=*/false); !s.ok()) return s;
        break;
      case Outcome::kRetry:
        if (absl::Status s = connection.Nack(d.delivery_tag, /*requeue=*/true); !s.ok()) return s;
        stop_.WaitFor(database_backoff_);
        break;
    }
  }
  return absl::OkStatus();
}

NotificationConsumer::Outcome NotificationConsumer::Handle(const Delivery& d) {
  auto poison = [&](const absl::Status& why) {
    LogLine(absl::StrCat("dead-lettering message ", d.message_id.empty() ? "(no id)" : d.message_id,
                         " (", d.routing_key, "): ", why.message()));
    return Outcome::kPoison;
  };
  if (d.message_id.empty()) return poison(absl::InvalidArgumentError("message_id: required"));
  absl::StatusOr<store::RecordedEvent> event = EventFromMessageBody(d.body);
  if (!event.ok()) return poison(event.status());
  absl::StatusOr<OrderNotice> notice = OrderNoticeFor(*event);
  if (!notice.ok()) return poison(notice.status());

  absl::StatusOr<bool> recorded = store::GuardPq("notify", [&]() -> absl::StatusOr<bool> {
    if (database_ == nullptr) database_ = std::make_unique<pqxx::connection>(database_url_);
    return Record(*database_, d.message_id, *event, *notice);
  });
  if (recorded.ok()) {
    database_backoff_ = absl::ZeroDuration();
    return Outcome::kDone;
  }
  const absl::Status& error = recorded.status();
  if (absl::IsUnavailable(error) || absl::IsAborted(error) || absl::IsDeadlineExceeded(error)) {
    if (absl::IsUnavailable(error)) database_.reset();
    if (database_backoff_ == absl::ZeroDuration()) {
      LogLine(absl::StrCat(error.message(), "; retrying"));
    }
    database_backoff_ = std::min(options_.max_backoff, database_backoff_ == absl::ZeroDuration()
                                                           ? kInitialBackoff
                                                           : 2 * database_backoff_);
    return Outcome::kRetry;
  }
  return poison(error);
}

}  // namespace ordo::relay
