// ordo-relay: publishes the event log to a RabbitMQ topic exchange with publisher confirms
// (DESIGN §12), as the subscriber `relay`, until SIGTERM. Any number may run: one holds
// the lease, the others stand by.
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/config.h"
#include "common/log.h"
#include "common/service_main.h"
#include "common/signals.h"
#include "relay/event_relay.h"
#include "store/projection/subscriber_metrics.h"
#include "store/subscription/subscription_runner.h"

ABSL_FLAG(std::string, database_url, "",
          "PostgreSQL URL or connection string (env ORDO_DATABASE_URL)");
ABSL_FLAG(std::string, amqp_url, "",
          "RabbitMQ URL, amqp://user:password@host:port[/vhost] (env ORDO_AMQP_URL; default "
          "amqp://guest:guest@127.0.0.1:5672)");
ABSL_FLAG(std::string, exchange, "",
          "the topic exchange to publish to (env ORDO_RELAY_EXCHANGE; default ordo.events)");
ABSL_FLAG(std::string, event_types, "",
          "comma-separated event types to publish (env ORDO_RELAY_EVENT_TYPES; empty: all)");
ABSL_FLAG(std::string, name, "relay",
          "the subscriber's name: its checkpoint and its lease (one active relay per name)");
ABSL_FLAG(int, batch_size, 1000, "events published per batch before waiting for confirms");

int main(int argc, char** argv) {
  const ordo::ServiceMain service("ordo-relay", "Publishes Ordo's event log to RabbitMQ.", argc,
                                  argv);
  const std::string database_url =
      ordo::FlagOrEnv(absl::GetFlag(FLAGS_database_url), "ORDO_DATABASE_URL");
  if (database_url.empty())
    return service.Fail("--database_url (or ORDO_DATABASE_URL) is required");
  ordo::relay::EventRelayOptions options;
  options.name = absl::GetFlag(FLAGS_name);
  options.amqp_url = ordo::FlagOrEnv(absl::GetFlag(FLAGS_amqp_url), "ORDO_AMQP_URL",
                                     "amqp://guest:guest@127.0.0.1:5672");
  options.exchange =
      ordo::FlagOrEnv(absl::GetFlag(FLAGS_exchange), "ORDO_RELAY_EXCHANGE", "ordo.events");
  options.event_types =
      absl::StrSplit(ordo::FlagOrEnv(absl::GetFlag(FLAGS_event_types), "ORDO_RELAY_EVENT_TYPES"),
                     ',', absl::SkipWhitespace());
  if (options.name.empty()) return service.Fail("--name must not be empty");
  if (options.exchange.empty()) return service.Fail("--exchange must not be empty");
  const int batch_size = absl::GetFlag(FLAGS_batch_size);
  if (batch_size < 1 || batch_size > 10000) return service.Fail("--batch_size must be 1 to 10000");

  ordo::relay::EventRelay relay(options);
  ordo::store::SubscriptionRunnerOptions runner_options;
  runner_options.batch_size = batch_size;
  runner_options.poll_interval = absl::Milliseconds(200);
  {
    ordo::store::SubscriptionRunner runner(database_url, relay, runner_options);
    runner.Start();
    ordo::store::SubscriberMetrics metrics(database_url, {});
    if (service.metrics_enabled()) metrics.Start();
    std::printf("ordo-relay running (subscriber %s, exchange %s, %s)\n", options.name.c_str(),
                options.exchange.c_str(),
                options.event_types.empty()
                    ? "every event type"
                    : absl::StrCat(options.event_types.size(), " event types").c_str());
    std::fflush(stdout);
    const int signal_number = ordo::WaitForShutdownSignal();
    ordo::LogLine(absl::StrCat("received signal ", signal_number, ", stopping"));
  }
  ordo::LogLine("stopped");
  return 0;
}
