// ordo-notify: customer notifications from the order events on RabbitMQ (DESIGN §12),
// until SIGTERM. Several may run on the one queue: the broker shares the messages out and
// the inbox keeps each effect to one.
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "common/config.h"
#include "common/log.h"
#include "common/service_main.h"
#include "common/signals.h"
#include "relay/notification_consumer.h"

ABSL_FLAG(std::string, database_url, "",
          "PostgreSQL URL or connection string (env ORDO_DATABASE_URL)");
ABSL_FLAG(std::string, amqp_url, "",
          "RabbitMQ URL, amqp://user:password@host:port[/vhost] (env ORDO_AMQP_URL; default "
          "amqp://guest:guest@127.0.0.1:5672)");
ABSL_FLAG(std::string, exchange, "",
          "the topic exchange the relay publishes to (env ORDO_RELAY_EXCHANGE; default "
          "ordo.events)");
ABSL_FLAG(int, prefetch, 50, "unacknowledged messages the broker may send ahead");

int main(int argc, char** argv) {
  const ordo::ServiceMain service(
      "ordo-notify", "Records customer notifications from Ordo's order events.", argc, argv);
  const std::string database_url =
      ordo::FlagOrEnv(absl::GetFlag(FLAGS_database_url), "ORDO_DATABASE_URL");
  if (database_url.empty())
    return service.Fail("--database_url (or ORDO_DATABASE_URL) is required");
  ordo::relay::NotificationConsumerOptions options;
  options.amqp_url = ordo::FlagOrEnv(absl::GetFlag(FLAGS_amqp_url), "ORDO_AMQP_URL",
                                     "amqp://guest:guest@127.0.0.1:5672");
  options.exchange =
      ordo::FlagOrEnv(absl::GetFlag(FLAGS_exchange), "ORDO_RELAY_EXCHANGE", "ordo.events");
  options.prefetch = absl::GetFlag(FLAGS_prefetch);
  if (options.prefetch < 1 || options.prefetch > 65535) {
    return service.Fail("--prefetch must be 1 to 65535");
  }
  {
    ordo::relay::NotificationConsumer consumer(database_url, options);
    consumer.Start();
    std::printf("ordo-notify running (queue %s, dead letters in %s)\n", options.queue.c_str(),
                options.dead_letter_queue.c_str());
    std::fflush(stdout);
    const int signal_number = ordo::WaitForShutdownSignal();
    ordo::LogLine(absl::StrCat("received signal ", signal_number, ", stopping"));
  }
  ordo::LogLine("stopped");
  return 0;
}
