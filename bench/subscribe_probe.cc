// ordo-bench-subscribe: EventStreamService.Subscribe measured from a client.
//   --mode=catchup  subscribes from the first event and counts events until caught_up;
//                   prints events, seconds and events/s.
//   --mode=latency  subscribes to OrderCreated from "end" while --clients threads each send
//                   a CreateOrder every --interval; prints p50/p99 of reply -> delivered and
//                   of sent -> delivered (the commit lies between send and reply).
//   --mode=idle     opens --subscribers subscriptions from "end", waits until each is caught
//                   up, prints "open=N", and holds them for --duration.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>
#include <memory>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "ordo/v1/command_service.grpc.pb.h"
#include "ordo/v1/event_stream_service.grpc.pb.h"

ABSL_FLAG(std::string, mode, "catchup", "catchup, latency or idle");
ABSL_FLAG(std::string, command_target, "127.0.0.1:50051", "ordo-command address");
ABSL_FLAG(std::string, query_target, "127.0.0.1:50052", "ordo-query address");
ABSL_FLAG(int, clients, 4, "latency: command clients");
ABSL_FLAG(absl::Duration, interval, absl::Milliseconds(20), "latency: pause between commands");
ABSL_FLAG(int, subscribers, 100, "idle: subscriptions to hold");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10), "latency and idle: how long");

namespace {

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

std::shared_ptr<grpc::Channel> Channel(const std::string& target) {
  return grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
}

int CatchUp() {
  auto stub = ordo::v1::EventStreamService::NewStub(Channel(absl::GetFlag(FLAGS_query_target)));
  grpc::ClientContext context;
  ordo::v1::SubscribeRequest request;
  const absl::Time start = absl::Now();
  auto reader = stub->Subscribe(&context, request);
  ordo::v1::SubscribeResponse reply;
  int64_t events = 0;
  while (reader->Read(&reply)) {
    if (reply.has_event()) ++events;
    if (reply.has_caught_up()) break;
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  context.TryCancel();
  reader->Finish();
  std::printf("events=%lld seconds=%.2f events_per_s=%.0f\n", static_cast<long long>(events),
              seconds, events / seconds);
  return 0;
}

int Latency() {
  auto stub = ordo::v1::EventStreamService::NewStub(Channel(absl::GetFlag(FLAGS_query_target)));
  grpc::ClientContext context;
  ordo::v1::SubscribeRequest request;
  request.set_from_token("end");
  request.add_event_types("OrderCreated");
  auto reader = stub->Subscribe(&context, request);
  ordo::v1::SubscribeResponse reply;
  if (!reader->Read(&reply) || !reply.has_caught_up()) {
    std::fprintf(stderr, "subscribe failed\n");
    return 1;
  }
  const std::string run = absl::StrCat("lat-", absl::ToUnixMillis(absl::Now()), "-");
  absl::Mutex mu;
  std::map<std::string, std::pair<absl::Time, absl::Time>> sent;  // order -> (sent, replied)
  std::vector<double> from_reply, from_send;
  std::atomic<int> expected{0};
  std::atomic<bool> done{false};
  std::thread receiver([&] {
    ordo::v1::SubscribeResponse r;
    while (reader->Read(&r)) {
      if (!r.has_event()) continue;
      const absl::Time now = absl::Now();
      absl::MutexLock lock(&mu);
      auto it = sent.find(r.event().stream_id());
      if (it == sent.end()) continue;
      from_send.push_back(absl::ToDoubleMilliseconds(now - it->second.first));
      if (it->second.second != absl::InfinitePast()) {
        from_reply.push_back(std::max(0.0, absl::ToDoubleMilliseconds(now - it->second.second)));
      }
      sent.erase(it);
      if (done && sent.empty()) break;
    }
  });
  const absl::Time end = absl::Now() + absl::GetFlag(FLAGS_duration);
  std::vector<std::thread> clients;
  for (int c = 0; c < absl::GetFlag(FLAGS_clients); ++c) {
    clients.emplace_back([&, c] {
      auto commands =
          ordo::v1::OrderCommandService::NewStub(Channel(absl::GetFlag(FLAGS_command_target)));
      for (int i = 0; absl::Now() < end; ++i) {
        const absl::Time next = absl::Now() + absl::GetFlag(FLAGS_interval);
        ordo::v1::CreateOrderRequest create;
        create.set_order_id(absl::StrCat(run, c, "-", i));
        create.set_customer_id("probe");
        create.set_currency("EUR");
        {
          absl::MutexLock lock(&mu);
          sent[create.order_id()] = {absl::Now(), absl::InfinitePast()};
        }
        ordo::v1::CommandResult result;
        grpc::ClientContext call;
        const bool ok = commands->CreateOrder(&call, create, &result).ok();
        const absl::Time replied = absl::Now();
        {
          absl::MutexLock lock(&mu);
          auto it = sent.find(create.order_id());
          if (!ok) {
            if (it != sent.end()) sent.erase(it);
          } else if (it != sent.end()) {
            it->second.second = replied;
            ++expected;
          } else {  // delivered before the reply came
            from_reply.push_back(0);
            ++expected;
          }
        }
        absl::SleepFor(next - absl::Now());
      }
    });
  }
  for (std::thread& t : clients) t.join();
  done = true;
  {
    absl::MutexLock lock(&mu);
    mu.AwaitWithTimeout(
        absl::Condition(
            +[](std::map<std::string, std::pair<absl::Time, absl::Time>>* s) { return s->empty(); },
            &sent),
        absl::Seconds(10));
  }
  context.TryCancel();
  receiver.join();
  reader->Finish();
  absl::MutexLock lock(&mu);
  std::printf(
      "delivered=%zu of %d lost=%zu reply_p50_ms=%.2f reply_p99_ms=%.2f send_p50_ms=%.2f "
      "send_p99_ms=%.2f\n",
      from_send.size(), expected.load(), sent.size(), Percentile(from_reply, 0.5),
      Percentile(from_reply, 0.99), Percentile(from_send, 0.5), Percentile(from_send, 0.99));
  return 0;
}

int Idle() {
  const int n = absl::GetFlag(FLAGS_subscribers);
  auto stub = ordo::v1::EventStreamService::NewStub(Channel(absl::GetFlag(FLAGS_query_target)));
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<grpc::ClientReader<ordo::v1::SubscribeResponse>>> readers;
  ordo::v1::SubscribeRequest request;
  request.set_from_token("end");
  int open = 0;
  for (int i = 0; i < n; ++i) {
    contexts.push_back(std::make_unique<grpc::ClientContext>());
    readers.push_back(stub->Subscribe(contexts.back().get(), request));
    ordo::v1::SubscribeResponse reply;
    if (readers.back()->Read(&reply) && reply.has_caught_up()) ++open;
  }
  std::printf("open=%d\n", open);
  std::fflush(stdout);
  absl::SleepFor(absl::GetFlag(FLAGS_duration));
  for (auto& c : contexts) c->TryCancel();
  for (auto& r : readers) r->Finish();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string mode = absl::GetFlag(FLAGS_mode);
  if (mode == "catchup") return CatchUp();
  if (mode == "latency") return Latency();
  if (mode == "idle") return Idle();
  std::fprintf(stderr, "--mode must be catchup, latency or idle\n");
  return 2;
}
