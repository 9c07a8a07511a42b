// ordo-bench-amqp: the limit the relay is measured against, on the same broker. Reads the
// log once (not timed) and turns every event into the relay's message, then publishes them
// all with plain rabbitmq-c calls (through relay/amqp_connection) the way the relay does:
// batches of --batch messages, each waited for until the broker confirmed all of it, into
// --exchange. Prints events, seconds and events/s.
//   --mode=reset_queue  (re)declares --queue, durable, bound to --exchange with '#', empty.
#include <cstdio>
#include <pqxx/connection>
#include <pqxx/nontransaction>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/time/clock.h"
#include "relay/amqp_connection.h"
#include "relay/event_message.h"
#include "store/subscription/event_tail.h"

ABSL_FLAG(std::string, mode, "publish", "publish or reset_queue");
ABSL_FLAG(std::string, database_url, "", "PostgreSQL URL");
ABSL_FLAG(std::string, amqp_url, "amqp://guest:guest@127.0.0.1:5672", "RabbitMQ URL");
ABSL_FLAG(std::string, exchange, "bench.events", "topic exchange");
ABSL_FLAG(std::string, queue, "bench.all", "reset_queue: the queue");
ABSL_FLAG(int, batch, 1000, "messages per confirmed batch");

namespace {

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "%s\n", status.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  using ordo::relay::AmqpConnection;
  absl::StatusOr<std::unique_ptr<AmqpConnection>> amqp =
      AmqpConnection::Open(absl::GetFlag(FLAGS_amqp_url), absl::Seconds(10));
  if (!amqp.ok()) return Fail(amqp.status());
  AmqpConnection& c = **amqp;
  const std::string exchange = absl::GetFlag(FLAGS_exchange);
  if (absl::Status s = c.DeclareExchange(exchange, "topic"); !s.ok()) return Fail(s);
  if (absl::GetFlag(FLAGS_mode) == "reset_queue") {
    const std::string queue = absl::GetFlag(FLAGS_queue);
    if (absl::Status s = c.DeleteQueue(queue); !s.ok()) return Fail(s);
    if (absl::Status s = c.DeclareQueue(queue); !s.ok()) return Fail(s);
    if (absl::Status s = c.BindQueue(queue, exchange, "#"); !s.ok()) return Fail(s);
    return 0;
  }

  std::vector<ordo::relay::OutgoingMessage> messages;
  {
    pqxx::connection db(absl::GetFlag(FLAGS_database_url));
    ordo::store::LogPosition after;
    for (;;) {
      pqxx::nontransaction tx(db);
      ordo::store::TailBatch batch = ordo::store::ReadTail(tx, after, 10000);
      for (const ordo::store::RecordedEvent& e : batch.events) {
        absl::StatusOr<ordo::relay::OutgoingMessage> m = ordo::relay::EventMessage(e);
        if (!m.ok()) return Fail(m.status());
        messages.push_back(*std::move(m));
      }
      after = batch.scanned_to;
      if (!batch.full) break;
    }
  }
  if (absl::Status s = c.EnableConfirms(); !s.ok()) return Fail(s);
  const size_t batch = static_cast<size_t>(absl::GetFlag(FLAGS_batch));
  const absl::Time start = absl::Now();
  for (size_t first = 0; first < messages.size(); first += batch) {
    const size_t last = std::min(messages.size(), first + batch);
    uint64_t last_tag = 0;
    for (size_t i = first; i < last; ++i) {
      absl::StatusOr<uint64_t> tag = c.Publish(exchange, messages[i]);
      if (!tag.ok()) return Fail(tag.status());
      last_tag = *tag;
    }
    uint64_t confirmed = 0;  // acks come in order; `multiple` covers the earlier ones
    while (confirmed < last_tag) {
      absl::StatusOr<std::optional<ordo::relay::Confirm>> confirm =
          c.NextConfirm(absl::Seconds(10));
      if (!confirm.ok()) return Fail(confirm.status());
      if (!confirm->has_value() || !(*confirm)->ack) {
        return Fail(absl::UnavailableError("no confirm, or a nack"));
      }
      confirmed = std::max(confirmed, (*confirm)->delivery_tag);
    }
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  std::printf("events=%zu seconds=%.2f events_per_s=%.0f\n", messages.size(), seconds,
              messages.size() / seconds);
  return 0;
}
