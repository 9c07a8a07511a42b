// ordo-command-load: a closed-loop load generator for ordo-command. Each of --clients
// threads creates an order, adds --adds_per_order items to it, and starts again, until
// --duration passes; prints calls/s and latency percentiles per RPC.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "ordo/v1/command_service.grpc.pb.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "ordo-command address");
ABSL_FLAG(int, clients, 16, "concurrent clients (threads, one call in flight each)");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10), "how long to run");
ABSL_FLAG(int, adds_per_order, 4, "AddItem calls after each CreateOrder");

namespace {

struct ClientStats {
  std::vector<double> create_ms;
  std::vector<double> add_ms;
  int errors = 0;
  std::string first_error;

  void Failed(const grpc::Status& status) {
    if (errors++ == 0) {
      first_error = std::to_string(status.error_code()) + " " + status.error_message();
    }
  }
};

double Percentile(std::vector<double>& values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(p * values.size()))];
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const int clients = absl::GetFlag(FLAGS_clients);
  const int adds = absl::GetFlag(FLAGS_adds_per_order);
  const absl::Duration duration = absl::GetFlag(FLAGS_duration);
  std::vector<ClientStats> stats(clients);
  std::vector<std::thread> threads;
  const absl::Time start = absl::Now();
  const absl::Time end = start + duration;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      // One channel per client, as independent clients would have.
      grpc::ChannelArguments args;
      args.SetInt("grpc.channel_id", c);
      auto stub = ordo::v1::OrderCommandService::NewStub(grpc::CreateCustomChannel(
          absl::GetFlag(FLAGS_target), grpc::InsecureChannelCredentials(), args));
      ClientStats& s = stats[c];
      while (absl::Now() < end) {
        ordo::v1::CreateOrderRequest create;
        create.set_customer_id(absl::StrCat("load-", c));
        create.set_currency("EUR");
        ordo::v1::CommandResult result;
        grpc::ClientContext create_context;
        absl::Time t0 = absl::Now();
        if (grpc::Status status = stub->CreateOrder(&create_context, create, &result);
            !status.ok()) {
          s.Failed(status);
          continue;
        }
        s.create_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
        for (int i = 0; i < adds && absl::Now() < end; ++i) {
          ordo::v1::AddItemRequest add;
          add.set_order_id(result.order_id());
          add.set_sku(absl::StrCat("sku-", i));
          add.set_quantity(1);
          add.set_unit_price_cents(999);
          grpc::ClientContext add_context;
          ordo::v1::CommandResult added;
          t0 = absl::Now();
          if (grpc::Status status = stub->AddItem(&add_context, add, &added); !status.ok()) {
            s.Failed(status);
            continue;
          }
          s.add_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  std::vector<double> creates, adds_all, all;
  int errors = 0;
  for (auto& s : stats) {
    creates.insert(creates.end(), s.create_ms.begin(), s.create_ms.end());
    adds_all.insert(adds_all.end(), s.add_ms.begin(), s.add_ms.end());
    errors += s.errors;
    if (!s.first_error.empty()) std::fprintf(stderr, "error: %s\n", s.first_error.c_str());
  }
  all = creates;
  all.insert(all.end(), adds_all.begin(), adds_all.end());
  std::printf("clients=%d duration=%.1fs calls=%zu errors=%d\n", clients, seconds, all.size(),
              errors);
  std::printf("all        %8.0f calls/s  p50 %6.2f ms  p99 %6.2f ms\n", all.size() / seconds,
              Percentile(all, 0.50), Percentile(all, 0.99));
  std::printf("CreateOrder %7.0f calls/s  p50 %6.2f ms  p99 %6.2f ms\n", creates.size() / seconds,
              Percentile(creates, 0.50), Percentile(creates, 0.99));
  std::printf("AddItem    %8.0f calls/s  p50 %6.2f ms  p99 %6.2f ms\n", adds_all.size() / seconds,
              Percentile(adds_all, 0.50), Percentile(adds_all, 0.99));
  return errors == 0 ? 0 : 1;
}
