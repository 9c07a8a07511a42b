// The relay (DESIGN §12): a subscriber named `relay` that publishes the log to a RabbitMQ
// topic exchange with publisher confirms. Each batch is published in log order and handed
// back to the runner only once the broker confirmed every message, so the checkpoint, which
// commits with it, moves only over confirmed events. On a nack, a timeout or a lost
// connection it reconnects and publishes again from the oldest unconfirmed event, in
// order; with the broker down the batch fails UNAVAILABLE and the runner tries it again
// later: nothing is lost, and a consumer may see an event twice (same message id). An
// event whose payload cannot be lifted is parked like any subscriber's. Runs on the
// runner's thread.
#ifndef ORDO_RELAY_EVENT_RELAY_H_
#define ORDO_RELAY_EVENT_RELAY_H_

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/time/time.h"
#include "relay/amqp_connection.h"
#include "store/subscription/subscriber.h"

namespace ordo::relay {

struct EventRelayOptions {
  std::string name = "relay";
  std::string amqp_url;
  std::string exchange = "ordo.events";
  std::vector<std::string> event_types;  // empty: every event
  // Connecting, and waiting for the next confirm, before the connection counts as lost.
  absl::Duration broker_timeout = absl::Seconds(5);
};

class EventRelay final : public store::Subscriber {
 public:
  explicit EventRelay(EventRelayOptions options);

  const std::string& name() const override { return options_.name; }
  store::SubscriberFilter filter() const override { return {options_.event_types, {}}; }
  store::HandleResult Handle(const std::vector<store::RecordedEvent>& events,
                             pqxx::work& tx) override;
  void AfterCommit() override { confirmed_.clear(); }

 private:
  // Publishes `messages` (those not confirmed yet) and waits for their confirms.
  absl::Status PublishConfirmed(const std::vector<OutgoingMessage>& messages);
  // One connection's try: publishes from the oldest unconfirmed message and collects
  // confirms until all came or the connection failed.
  absl::Status PublishOnce(const std::vector<OutgoingMessage>& messages);
  absl::Status Connect();

  const EventRelayOptions options_;
  // ordo_relay_* series (DESIGN §13), labelled with the relay's name.
  prometheus::Counter& published_;
  prometheus::Counter& connections_;
  prometheus::Gauge& unconfirmed_;
  prometheus::Histogram& confirm_seconds_;
  std::unique_ptr<AmqpConnection> connection_;
  // Message ids of the batch in hand that the broker confirmed: a batch handed again
  // (after a failure) publishes only the rest.
  absl::flat_hash_set<std::string> confirmed_;
};

}  // namespace ordo::relay

#endif  // ORDO_RELAY_EVENT_RELAY_H_
