// The relay: batches of the log to RabbitMQ, handed back only once confirmed.
#include "relay/event_relay.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/metrics.h"
#include "relay/event_message.h"

namespace ordo::relay {
namespace {

// Connections tried within one batch before the runner's backoff takes over.
constexpr int kConnectionsPerBatch = 3;

// Broker trouble of any kind, also a refused declaration, is UNAVAILABLE for the runner:
// the events are fine, and none may be parked for it.
absl::Status AsUnavailable(const absl::Status& status) {
  if (status.ok() || absl::IsUnavailable(status)) return status;
  return absl::UnavailableError(status.message());
}

}  // namespace

EventRelay::EventRelay(EventRelayOptions options)
    : options_(std::move(options)),
      published_(AddCounter("ordo_relay_published_total",
                            "Messages the broker confirmed (a message published again after a "
                            "lost connection counts again).",
                            {{"relay", options_.name}})),
      connections_(AddCounter("ordo_relay_connections_total",
                              "Connections the relay opened to the broker: more than one means "
                              "it lost some.",
                              {{"relay", options_.name}})),
      unconfirmed_(AddGauge("ordo_relay_unconfirmed_messages",
                            "Messages published and not yet confirmed by the broker.",
                            {{"relay", options_.name}})),
      confirm_seconds_(AddHistogram("ordo_relay_confirm_seconds",
                                    "From a batch's first publish to its last confirm.",
                                    {{"relay", options_.name}}, LatencyBuckets())) {}

store::HandleResult EventRelay::Handle(const std::vector<store::RecordedEvent>& events,
                                       pqxx::work& /*tx*/) {
  std::vector<OutgoingMessage> messages;
  messages.reserve(events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    absl::StatusOr<OutgoingMessage> message = EventMessage(events[i]);
    if (!message.ok()) return store::HandleResult::FailedAt(i, message.status());
    if (!confirmed_.contains(message->message_id)) messages.push_back(*std::move(message));
  }
  return store::HandleResult::From(PublishConfirmed(messages));
}

absl::Status EventRelay::PublishConfirmed(const std::vector<OutgoingMessage>& messages) {
  absl::Status last;
  for (int attempt = 0; attempt < kConnectionsPerBatch; ++attempt) {
    if (connection_ == nullptr) {
      if (absl::Status connected = Connect(); !connected.ok()) return AsUnavailable(connected);
    }
    last = PublishOnce(messages);
    if (last.ok()) return last;
    connection_.reset();  // a new connection publishes again from the oldest unconfirmed
  }
  return AsUnavailable(last);
}

absl::Status EventRelay::Connect() {
  absl::StatusOr<std::unique_ptr<AmqpConnection>> connection =
      AmqpConnection::Open(options_.amqp_url, options_.broker_timeout);
  if (!connection.ok()) return connection.status();
  if (absl::Status s = (*connection)->DeclareExchange(options_.exchange, "topic"); !s.ok()) {
    return s;
  }
  if (absl::Status s = (*connection)->EnableConfirms(); !s.ok()) return s;
  connection_ = *std::move(connection);
  connections_.Increment();
  return absl::OkStatus();
}

absl::Status EventRelay::PublishOnce(const std::vector<OutgoingMessage>& messages) {
  std::vector<const OutgoingMessage*> pending;
  for (const OutgoingMessage& m : messages) {
    if (!confirmed_.contains(m.message_id)) pending.push_back(&m);
  }
  if (pending.empty()) return absl::OkStatus();
  const absl::Time started = absl::Now();
  // Whatever ends this try, nothing it published stays in flight afterwards.
  struct InFlight {
    prometheus::Gauge& gauge;
    ~InFlight() { gauge.Set(0); }
  } in_flight{unconfirmed_};
  uint64_t first_tag = 0;
  for (size_t k = 0; k < pending.size(); ++k) {
    absl::StatusOr<uint64_t> tag = connection_->Publish(options_.exchange, *pending[k]);
    if (!tag.ok()) return tag.status();
    if (k == 0) first_tag = *tag;
    unconfirmed_.Increment();
  }
  // pending[k] has delivery tag first_tag + k; the prefix [0, settled) is confirmed.
  std::vector<bool> acked(pending.size(), false);
  size_t settled = 0;
  while (settled < pending.size()) {
    absl::StatusOr<std::optional<Confirm>> confirm =
        connection_->NextConfirm(options_.broker_timeout);
    if (!confirm.ok()) return confirm.status();
    if (!confirm->has_value()) {
      return absl::UnavailableError(
          absl::StrCat("amqp: no confirm within ", absl::FormatDuration(options_.broker_timeout)));
    }
    const Confirm& c = **confirm;
    if (!c.ack) {
      return absl::UnavailableError(absl::StrCat("amqp: the broker refused (nack) message ",
                                                 c.delivery_tag, "; publishing again"));
    }
    if (c.delivery_tag < first_tag) continue;
    const uint64_t last = std::min<uint64_t>(c.delivery_tag - first_tag, pending.size() - 1);
    const uint64_t first = c.multiple ? 0 : last;
    for (uint64_t k = first; k <= last; ++k) acked[k] = true;
    while (settled < pending.size() && acked[settled]) {
      confirmed_.insert(pending[settled]->message_id);
      ++settled;
      published_.Increment();
      unconfirmed_.Decrement();
    }
  }
  confirm_seconds_.Observe(absl::ToDoubleSeconds(absl::Now() - started));
  return absl::OkStatus();
}

}  // namespace ordo::relay
