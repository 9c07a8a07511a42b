// ordo-visibility-probe: command acknowledged -> visible through GetOrder without a token.
// --clients threads each send one AddItem every --interval on their own order (a steady
// load of clients/interval commands per second), then poll GetOrder every --poll until the
// read model shows the acknowledged version; prints p50/p99/max of that delay.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <cstdio>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "ordo/v1/command_service.grpc.pb.h"
#include "ordo/v1/query_service.grpc.pb.h"

ABSL_FLAG(std::string, command_target, "127.0.0.1:50051", "ordo-command address");
ABSL_FLAG(std::string, query_target, "127.0.0.1:50052", "ordo-query address");
ABSL_FLAG(int, clients, 8, "concurrent clients");
ABSL_FLAG(absl::Duration, interval, absl::Milliseconds(20), "pause between a client's commands");
ABSL_FLAG(absl::Duration, poll, absl::Milliseconds(1), "GetOrder polling interval");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(20), "how long to run");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const int clients = absl::GetFlag(FLAGS_clients);
  std::vector<std::vector<double>> delays(clients);
  std::vector<int> errors(clients, 0);
  const absl::Time end = absl::Now() + absl::GetFlag(FLAGS_duration);
  const std::string run = absl::StrCat(absl::ToUnixMillis(absl::Now()));
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      auto commands = ordo::v1::OrderCommandService::NewStub(grpc::CreateChannel(
          absl::GetFlag(FLAGS_command_target), grpc::InsecureChannelCredentials()));
      auto queries = ordo::v1::OrderQueryService::NewStub(grpc::CreateChannel(
          absl::GetFlag(FLAGS_query_target), grpc::InsecureChannelCredentials()));
      const std::string order_id = absl::StrCat("probe-", run, "-", c);
      ordo::v1::CreateOrderRequest create;
      create.set_order_id(order_id);
      create.set_customer_id("probe");
      create.set_currency("EUR");
      ordo::v1::CommandResult result;
      grpc::ClientContext create_context;
      if (!commands->CreateOrder(&create_context, create, &result).ok()) {
        ++errors[c];
        return;
      }
      for (int i = 0; absl::Now() < end; ++i) {
        const absl::Time next = absl::Now() + absl::GetFlag(FLAGS_interval);
        ordo::v1::AddItemRequest add;
        add.set_order_id(order_id);
        add.set_sku(absl::StrCat("sku-", i % 90));
        add.set_quantity(1);
        add.set_unit_price_cents(100);
        grpc::ClientContext add_context;
        if (!commands->AddItem(&add_context, add, &result).ok()) {
          ++errors[c];
          continue;
        }
        const absl::Time acknowledged = absl::Now();
        for (;;) {
          ordo::v1::GetOrderRequest get;
          get.set_order_id(order_id);
          ordo::v1::Order order;
          grpc::ClientContext get_context;
          grpc::Status status = queries->GetOrder(&get_context, get, &order);
          if (status.ok() && order.version() >= result.version()) break;
          absl::SleepFor(absl::GetFlag(FLAGS_poll));
        }
        delays[c].push_back(absl::ToDoubleMilliseconds(absl::Now() - acknowledged));
        absl::SleepFor(next - absl::Now());
      }
    });
  }
  for (auto& t : threads) t.join();
  std::vector<double> all;
  int error_count = 0;
  for (int c = 0; c < clients; ++c) {
    all.insert(all.end(), delays[c].begin(), delays[c].end());
    error_count += errors[c];
  }
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) {
    return all.empty() ? 0.0 : all[std::min(all.size() - 1, static_cast<size_t>(p * all.size()))];
  };
  std::printf("commands=%zu errors=%d rate=%.0f/s visible p50 %.2f ms p99 %.2f ms max %.2f ms\n",
              all.size(), error_count,
              all.size() / absl::ToDoubleSeconds(absl::GetFlag(FLAGS_duration)), pct(0.5),
              pct(0.99), all.empty() ? 0.0 : all.back());
  return error_count == 0 ? 0 : 1;
}
