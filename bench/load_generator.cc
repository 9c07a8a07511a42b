// ordo-bench-load: an asynchronous gRPC load generator for Ordo. Keeps --in_flight calls of
// one kind (--mode) outstanding for --duration (optionally capped at --rate calls/s) and
// prints one line: calls/s, latency p50/p99/p99.9, errors and the share that ended ABORTED.
//   modes: create_order, add_item (random order of a pool), add_item_hot (--hot_orders
//   orders), get_order (random order of a pool, no token), list_orders (newest 50),
//   reserve_stock (ReserveStock of 1 unit for a new order each call, on a random one of
//   --skus SKUs that first receive plenty of stock)
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <cstdio>
#include <memory>
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
#include "ordo/v1/query_service.grpc.pb.h"

ABSL_FLAG(std::string, command_target, "127.0.0.1:50051", "ordo-command address");
ABSL_FLAG(std::string, query_target, "127.0.0.1:50052", "ordo-query address");
ABSL_FLAG(std::string, mode, "add_item",
          "create_order | add_item | add_item_hot | get_order | list_orders | reserve_stock");
ABSL_FLAG(int, in_flight, 8, "calls kept outstanding");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10), "how long to measure");
ABSL_FLAG(double, rate, 0, "calls per second at most (0: as fast as replies come)");
ABSL_FLAG(int, orders, 1000, "orders created first for add_item and get_order");
ABSL_FLAG(int, hot_orders, 8, "orders all add_item_hot calls go to");
ABSL_FLAG(int, skus, 1, "SKUs reserve_stock calls go to");
ABSL_FLAG(std::string, existing_prefix, "",
          "get_order/add_item: use existing orders PREFIX1..PREFIX<orders> instead of creating");

namespace {

using ordo::v1::CommandResult;

struct Call {
  virtual ~Call() = default;
  grpc::ClientContext context;
  grpc::Status status;
  absl::Time start;
};

template <typename Reply>
struct TypedCall : Call {
  Reply reply;
  std::unique_ptr<grpc::ClientAsyncResponseReader<Reply>> reader;
};

struct Clients {
  std::unique_ptr<ordo::v1::OrderCommandService::Stub> commands;
  std::unique_ptr<ordo::v1::OrderQueryService::Stub> queries;
  std::unique_ptr<ordo::v1::InventoryCommandService::Stub> inventory;
};

// Receives a billion units of each of `count` SKUs; returns their names.
std::vector<std::string> ReceiveStock(Clients& clients, int count, const std::string& prefix) {
  std::vector<std::string> skus;
  for (int i = 0; i < count; ++i) {
    ordo::v1::ReceiveStockRequest request;
    request.set_sku(absl::StrCat(prefix, "sku-", i));
    request.set_quantity(1000000000);
    ordo::v1::StockResult result;
    grpc::ClientContext context;
    if (clients.inventory->ReceiveStock(&context, request, &result).ok()) {
      skus.push_back(request.sku());
    }
  }
  return skus;
}

// Creates `count` orders (8 threads) and returns their ids and the last token.
std::vector<std::string> CreateOrders(Clients& clients, int count, const std::string& prefix,
                                      std::string* last_token) {
  std::vector<std::string> ids(count);
  std::vector<std::thread> threads;
  std::vector<std::string> tokens(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < count; i += 8) {
        ordo::v1::CreateOrderRequest request;
        request.set_order_id(absl::StrCat(prefix, i));
        request.set_customer_id(absl::StrCat("bench-", i % 100));
        request.set_currency("EUR");
        CommandResult result;
        grpc::ClientContext context;
        if (clients.commands->CreateOrder(&context, request, &result).ok()) {
          ids[i] = result.order_id();
          tokens[t] = result.consistency_token();
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  *last_token = tokens[0];
  return ids;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string mode = absl::GetFlag(FLAGS_mode);
  const int in_flight = absl::GetFlag(FLAGS_in_flight);
  const double rate = absl::GetFlag(FLAGS_rate);
  auto command_channel =
      grpc::CreateChannel(absl::GetFlag(FLAGS_command_target), grpc::InsecureChannelCredentials());
  Clients clients{ordo::v1::OrderCommandService::NewStub(command_channel),
                  ordo::v1::OrderQueryService::NewStub(grpc::CreateChannel(
                      absl::GetFlag(FLAGS_query_target), grpc::InsecureChannelCredentials())),
                  ordo::v1::InventoryCommandService::NewStub(command_channel)};
  const std::string run = absl::StrCat("bench-", absl::ToUnixMillis(absl::Now()), "-");
  std::vector<std::string> pool;
  if (!absl::GetFlag(FLAGS_existing_prefix).empty()) {
    for (int i = 1; i <= absl::GetFlag(FLAGS_orders); ++i) {
      pool.push_back(absl::StrCat(absl::GetFlag(FLAGS_existing_prefix), i));
    }
  } else if (mode == "add_item" || mode == "get_order" || mode == "add_item_hot") {
    const int count =
        mode == "add_item_hot" ? absl::GetFlag(FLAGS_hot_orders) : absl::GetFlag(FLAGS_orders);
    std::string token;
    pool = CreateOrders(clients, count, run, &token);
    if (mode == "get_order") {  // wait until the read model has them all
      ordo::v1::GetOrderRequest request;
      request.set_order_id(pool[0]);
      request.set_consistency_token(token);
      ordo::v1::Order order;
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
      clients.queries->GetOrder(&context, request, &order);
    }
  } else if (mode == "reserve_stock") {
    pool = ReceiveStock(clients, absl::GetFlag(FLAGS_skus), run);
  } else if (mode != "create_order" && mode != "list_orders") {
    std::fprintf(stderr, "unknown --mode %s\n", mode.c_str());
    return 2;
  }

  grpc::CompletionQueue queue;
  std::mt19937_64 rng(42);
  int64_t reservations = 0;
  auto start_call = [&]() {
    const std::string& order = pool.empty() ? run : pool[rng() % pool.size()];
    Call* call;
    if (mode == "create_order") {
      auto* c = new TypedCall<CommandResult>;
      ordo::v1::CreateOrderRequest request;
      request.set_customer_id("bench");
      request.set_currency("EUR");
      c->reader = clients.commands->PrepareAsyncCreateOrder(&c->context, request, &queue);
      call = c;
    } else if (mode == "add_item" || mode == "add_item_hot") {
      auto* c = new TypedCall<CommandResult>;
      ordo::v1::AddItemRequest request;
      request.set_order_id(order);
      // Not bench/seed_orders.sql's SKUs (sku-2..sku-5, at other prices): an AddItem of a
      // seeded order's line at another price would be refused.
      request.set_sku(absl::StrCat("load-sku-", rng() % 5));
      request.set_quantity(1);
      request.set_unit_price_cents(1000);
      c->reader = clients.commands->PrepareAsyncAddItem(&c->context, request, &queue);
      call = c;
    } else if (mode == "reserve_stock") {
      auto* c = new TypedCall<ordo::v1::StockResult>;
      ordo::v1::ReserveStockRequest request;
      request.set_sku(order);
      request.set_order_id(absl::StrCat(run, "order-", reservations++));
      request.set_quantity(1);
      c->reader = clients.inventory->PrepareAsyncReserveStock(&c->context, request, &queue);
      call = c;
    } else if (mode == "get_order") {
      auto* c = new TypedCall<ordo::v1::Order>;
      ordo::v1::GetOrderRequest request;
      request.set_order_id(order);
      c->reader = clients.queries->PrepareAsyncGetOrder(&c->context, request, &queue);
      call = c;
    } else {
      auto* c = new TypedCall<ordo::v1::ListOrdersResponse>;
      ordo::v1::ListOrdersRequest request;
      request.set_page_size(50);
      c->reader = clients.queries->PrepareAsyncListOrders(&c->context, request, &queue);
      call = c;
    }
    call->start = absl::Now();
    // Start and finish through the typed reader the call holds.
    if (auto* c = dynamic_cast<TypedCall<CommandResult>*>(call)) {
      c->reader->StartCall();
      c->reader->Finish(&c->reply, &c->status, call);
    } else if (auto* c = dynamic_cast<TypedCall<ordo::v1::Order>*>(call)) {
      c->reader->StartCall();
      c->reader->Finish(&c->reply, &c->status, call);
    } else if (auto* c = dynamic_cast<TypedCall<ordo::v1::ListOrdersResponse>*>(call)) {
      c->reader->StartCall();
      c->reader->Finish(&c->reply, &c->status, call);
    } else if (auto* c = dynamic_cast<TypedCall<ordo::v1::StockResult>*>(call)) {
      c->reader->StartCall();
      c->reader->Finish(&c->reply, &c->status, call);
    }
  };

  const absl::Time begin = absl::Now();
  const absl::Time end = begin + absl::GetFlag(FLAGS_duration);
  int64_t started = 0;
  int outstanding = 0;
  auto may_start = [&](absl::Time now) {
    return now < end && (rate <= 0 || started < absl::ToDoubleSeconds(now - begin) * rate + 1);
  };
  std::vector<double> latencies_ms;
  int64_t errors = 0;
  int64_t aborted = 0;
  std::string first_error;
  while (outstanding < in_flight && may_start(absl::Now())) {
    start_call();
    ++started;
    ++outstanding;
  }
  while (outstanding > 0 || absl::Now() < end) {
    void* tag = nullptr;
    bool ok = false;
    const auto wait_until = std::chrono::system_clock::now() + std::chrono::milliseconds(1);
    const auto next = queue.AsyncNext(&tag, &ok, wait_until);
    if (next == grpc::CompletionQueue::SHUTDOWN) break;
    const absl::Time now = absl::Now();
    if (next == grpc::CompletionQueue::GOT_EVENT) {
      std::unique_ptr<Call> call(static_cast<Call*>(tag));
      --outstanding;
      if (call->status.ok()) {
        latencies_ms.push_back(absl::ToDoubleMilliseconds(now - call->start));
      } else {
        ++errors;
        if (call->status.error_code() == grpc::StatusCode::ABORTED) ++aborted;
        if (first_error.empty()) {
          first_error = absl::StrCat(call->status.error_code(), " ", call->status.error_message());
        }
      }
    }
    while (outstanding < in_flight && may_start(absl::Now())) {
      start_call();
      ++started;
      ++outstanding;
    }
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - begin);
  std::sort(latencies_ms.begin(), latencies_ms.end());
  auto pct = [&](double p) {
    return latencies_ms.empty()
               ? 0.0
               : latencies_ms[std::min(latencies_ms.size() - 1,
                                       static_cast<size_t>(p * latencies_ms.size()))];
  };
  const int64_t total = static_cast<int64_t>(latencies_ms.size()) + errors;
  std::printf(
      "mode=%s in_flight=%d calls/s=%.0f p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f ok=%zu "
      "errors=%lld aborted_share=%.4f\n",
      mode.c_str(), in_flight, latencies_ms.size() / seconds, pct(0.5), pct(0.99), pct(0.999),
      latencies_ms.size(), static_cast<long long>(errors),
      total > 0 ? static_cast<double>(aborted) / total : 0.0);
  if (!first_error.empty()) std::fprintf(stderr, "first error: %s\n", first_error.c_str());
  return 0;
}
