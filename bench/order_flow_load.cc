// ordo-bench-orders: places whole orders for the fulfilment rows of `./dev bench`. Each
// order is CreateOrder + AddItem (one line of a random one of --skus SKUs, which first
// receive plenty of stock) + ConfirmOrder, sent by --in_flight client threads for
// --duration, optionally capped at --rate orders/s in all. Order ids are
// "<--prefix>-<thread>-<n>", so SQL can find them afterwards. Prints one line: orders
// placed, failed calls, seconds, orders/s and commands/s.
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cstdio>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "ordo/v1/command_service.grpc.pb.h"
#include "ordo/v1/inventory_command_service.grpc.pb.h"

ABSL_FLAG(std::string, command_target, "127.0.0.1:50051", "ordo-command address");
ABSL_FLAG(int, in_flight, 8, "client threads, each with one order under way");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10), "how long to place orders");
ABSL_FLAG(double, rate, 0, "orders per second at most, in all (0: as fast as replies come)");
ABSL_FLAG(int, skus, 100, "SKUs the lines are spread over");
ABSL_FLAG(std::string, prefix, "bench", "order ids start with this");

namespace {

bool Ok(const grpc::Status& status, std::atomic<int>& failed) {
  if (!status.ok()) ++failed;
  return status.ok();
}

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return context;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const int threads = absl::GetFlag(FLAGS_in_flight);
  const int skus = absl::GetFlag(FLAGS_skus);
  const double rate = absl::GetFlag(FLAGS_rate);
  const std::string prefix = absl::GetFlag(FLAGS_prefix);
  auto channel =
      grpc::CreateChannel(absl::GetFlag(FLAGS_command_target), grpc::InsecureChannelCredentials());
  auto inventory = ordo::v1::InventoryCommandService::NewStub(channel);
  for (int i = 0; i < skus; ++i) {
    ordo::v1::ReceiveStockRequest receive;
    receive.set_sku(absl::StrCat(prefix, "-sku-", i));
    receive.set_quantity(100000000);
    ordo::v1::StockResult result;
    grpc::Status status = inventory->ReceiveStock(Context().get(), receive, &result);
    if (!status.ok()) {
      std::fprintf(stderr, "ReceiveStock: %s\n", status.error_message().c_str());
      return 1;
    }
  }

  std::atomic<int> placed{0}, failed{0};
  const absl::Time start = absl::Now();
  const absl::Time end = start + absl::GetFlag(FLAGS_duration);
  std::vector<std::thread> clients;
  for (int t = 0; t < threads; ++t) {
    clients.emplace_back([&, t] {
      auto orders = ordo::v1::OrderCommandService::NewStub(channel);
      std::mt19937 rng(t);
      // With --rate, thread t places its orders at start + (t + k * threads) / rate.
      for (int n = 0;; ++n) {
        if (rate > 0) {
          const absl::Time due =
              start + absl::Seconds((t + static_cast<double>(n) * threads) / rate);
          if (due > absl::Now()) absl::SleepFor(due - absl::Now());
        }
        if (absl::Now() >= end) return;
        const std::string order_id = absl::StrCat(prefix, "-", t, "-", n);
        ordo::v1::CommandResult result;
        ordo::v1::CreateOrderRequest create;
        create.set_order_id(order_id);
        create.set_customer_id(absl::StrCat("customer-", t));
        create.set_currency("EUR");
        if (!Ok(orders->CreateOrder(Context().get(), create, &result), failed)) continue;
        ordo::v1::AddItemRequest add;
        add.set_order_id(order_id);
        add.set_sku(absl::StrCat(prefix, "-sku-", rng() % skus));
        add.set_quantity(1);
        add.set_unit_price_cents(1000);
        if (!Ok(orders->AddItem(Context().get(), add, &result), failed)) continue;
        ordo::v1::ConfirmOrderRequest confirm;
        confirm.set_order_id(order_id);
        if (!Ok(orders->ConfirmOrder(Context().get(), confirm, &result), failed)) continue;
        ++placed;
      }
    });
  }
  for (auto& client : clients) client.join();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  std::printf("orders=%d failed=%d seconds=%.1f orders_per_s=%.0f commands_per_s=%.0f\n",
              placed.load(), failed.load(), seconds, placed / seconds, 3 * placed / seconds);
  return 0;
}
