// ordo-saga: runs the order-fulfilment saga, the shipping policy (choreography), and the
// timers that call the sandbox payment gateway and carrier (DESIGN §11), until SIGTERM.
// Any number may run: one holds each subscriber's lease, the others stand by; every one
// fires due timers.
#include <cstdio>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "command/handler/inventory_traits.h"
#include "command/handler/order_traits.h"
#include "command/handler/payment_traits.h"
#include "command/handler/shipment_traits.h"
#include "command/process/carrier.h"
#include "command/process/fulfilment_activities.h"
#include "command/process/fulfilment_saga.h"
#include "command/process/saga_commands.h"
#include "command/process/sandbox_payment_gateway.h"
#include "command/process/shipping_policy.h"
#include "common/config.h"
#include "common/log.h"
#include "common/service_main.h"
#include "common/signals.h"
#include "store/log/change_notifier.h"
#include "store/log/event_store.h"
#include "store/pg/connection_pool.h"
#include "store/projection/subscriber_metrics.h"
#include "store/subscription/subscription_runner.h"
#include "store/subscription/timer_poller.h"

ABSL_FLAG(std::string, database_url, "",
          "PostgreSQL URL or connection string (env ORDO_DATABASE_URL)");
ABSL_FLAG(std::string, payment_gateway, "",
          "the payment gateway: sandbox (env ORDO_PAYMENT_GATEWAY; default sandbox)");
ABSL_FLAG(std::string, payment_timeout, "",
          "how long the gateway may take to answer an authorisation before the payment is "
          "voided and the order cancelled (env ORDO_PAYMENT_TIMEOUT; default 30s)");
ABSL_FLAG(std::string, payment_limit_cents, "",
          "the sandbox declines totals above this (env ORDO_PAYMENT_LIMIT_CENTS; default "
          "10000000)");
ABSL_FLAG(std::string, carrier_delay, "",
          "how long after a shipment is requested the sandbox carrier collects it (env "
          "ORDO_CARRIER_DELAY; default 200ms)");
ABSL_FLAG(int, pool_size, 24,
          "database connections (the saga works on up to 16 orders at once, the timers on 8)");

namespace {

bool ParseDurationSetting(const std::string& flag, const char* env, const char* fallback,
                          absl::Duration* out) {
  return absl::ParseDuration(ordo::FlagOrEnv(flag, env, fallback), out) &&
         *out >= absl::ZeroDuration();
}

}  // namespace

int main(int argc, char** argv) {
  const ordo::ServiceMain service(
      "ordo-saga",
      "Runs the order-fulfilment saga, the shipping policy and the sandbox payment gateway "
      "and carrier.",
      argc, argv);

  const std::string database_url =
      ordo::FlagOrEnv(absl::GetFlag(FLAGS_database_url), "ORDO_DATABASE_URL");
  if (database_url.empty())
    return service.Fail("--database_url (or ORDO_DATABASE_URL) is required");
  const std::string gateway_name =
      ordo::FlagOrEnv(absl::GetFlag(FLAGS_payment_gateway), "ORDO_PAYMENT_GATEWAY", "sandbox");
  if (gateway_name != "sandbox") return service.Fail("--payment_gateway must be sandbox");
  ordo::process::FulfilmentPolicy policy;
  if (!ParseDurationSetting(absl::GetFlag(FLAGS_payment_timeout), "ORDO_PAYMENT_TIMEOUT", "30s",
                            &policy.payment_timeout) ||
      policy.payment_timeout <= absl::ZeroDuration()) {
    return service.Fail("--payment_timeout must be a positive duration, e.g. 30s");
  }
  if (!ParseDurationSetting(absl::GetFlag(FLAGS_carrier_delay), "ORDO_CARRIER_DELAY", "200ms",
                            &policy.carrier_delay)) {
    return service.Fail("--carrier_delay must be a duration, e.g. 200ms");
  }
  int64_t limit_cents = 0;
  if (!absl::SimpleAtoi(ordo::FlagOrEnv(absl::GetFlag(FLAGS_payment_limit_cents),
                                        "ORDO_PAYMENT_LIMIT_CENTS", "10000000"),
                        &limit_cents) ||
      limit_cents < 0) {
    return service.Fail("--payment_limit_cents must be a number of cents, 0 or more");
  }
  const int pool_size = absl::GetFlag(FLAGS_pool_size);
  if (pool_size < 2 || pool_size > 100) return service.Fail("--pool_size must be 2 to 100");

  ordo::store::ConnectionPool pool({database_url, pool_size, absl::Seconds(3)});
  ordo::store::ChangeNotifier notifier(pool.connection_string());
  ordo::store::EventStore store(pool, {ordo::store::NotifyMode::kAfterCommit, &notifier, 16});
  if (absl::Status ready = store.CheckReady(absl::Now() + absl::Seconds(10)); !ready.ok()) {
    return service.Fail(ready.message());
  }
  ordo::command::OrderCommandHandler orders(store);
  ordo::command::InventoryCommandHandler inventory(store);
  ordo::command::PaymentCommandHandler payments(store);
  ordo::command::ShipmentCommandHandler shipments(store);
  ordo::process::SagaCommands commands(orders, inventory, payments, shipments, absl::Seconds(10));
  ordo::process::SandboxPaymentGateway gateway(pool, limit_cents);
  ordo::process::SandboxCarrier carrier;
  ordo::process::FulfilmentActivities activities(commands, gateway, carrier);

  // The poller before the saga, which wakes it after committing timers due at once.
  ordo::store::TimerPoller poller(
      pool.connection_string(), ordo::process::kFulfilmentSagaName,
      [&](const ordo::store::Timer& timer) { return activities.Fire(timer); });
  ordo::process::FulfilmentSaga saga(store, orders, commands, policy, [&] { poller.Wake(); });
  ordo::process::ShippingPolicy shipping(commands);
  {
    ordo::store::SubscriptionRunner saga_runner(pool.connection_string(), saga);
    ordo::store::SubscriptionRunner shipping_runner(pool.connection_string(), shipping);
    saga_runner.Start();
    shipping_runner.Start();
    poller.Start();
    ordo::store::SubscriberMetrics metrics(pool.connection_string(), {});
    if (service.metrics_enabled()) metrics.Start();
    std::printf("ordo-saga running (payment gateway %s, payment timeout %s, carrier delay %s)\n",
                gateway_name.c_str(), absl::FormatDuration(policy.payment_timeout).c_str(),
                absl::FormatDuration(policy.carrier_delay).c_str());
    std::fflush(stdout);
    const int signal_number = ordo::WaitForShutdownSignal();
    ordo::LogLine(absl::StrCat("received signal ", signal_number, ", stopping"));
  }
  poller.Stop();
  ordo::LogLine("stopped");
  return 0;
}
