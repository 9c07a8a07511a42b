// ordo.v1.EventStreamService over gRPC.
#include "query/event_stream_service.h"

#include <pqxx/nontransaction>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/call_auth.h"
#include "common/grpc_status.h"
#include "query/request_checks.h"
#include "store/pg/pg_status.h"
#include "store/subscription/event_tail.h"

namespace ordo::query {
namespace {

constexpr int kMaxFilterValues = 100;
constexpr size_t kMaxNameLength = 200;

// A call refused before it started: finishes at once with `status`.
class RefusedSubscription final : public grpc::ServerWriteReactor<ordo::v1::SubscribeResponse> {
 public:
  explicit RefusedSubscription(const grpc::Status& status) { Finish(status); }
  void OnDone() override { delete this; }
};

absl::Status CollectNames(const char* field,
                          const google::protobuf::RepeatedPtrField<std::string>& values,
                          std::set<std::string>& out) {
  if (values.size() > kMaxFilterValues) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": at most ", kMaxFilterValues, " values"));
  }
  for (int i = 0; i < values.size(); ++i) {
    if (absl::Status s = CheckText(absl::StrCat(field, "[", i, "]"), values[i], kMaxNameLength,
                                   /*required=*/true);
        !s.ok())
      return s;
    out.insert(values[i]);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SubscriptionSpec> SubscriptionSpecFrom(const ordo::v1::SubscribeRequest& request,
                                                      const store::LogPosition& head) {
  SubscriptionSpec spec;
  if (request.from_token() == "end") {
    spec.after = head;
    spec.no_history = true;
  } else if (!request.from_token().empty()) {
    absl::StatusOr<store::LogPosition> after = store::DecodeConsistencyToken(request.from_token());
    if (!after.ok()) {
      return absl::InvalidArgumentError(
          "from_token: malformed; pass a token from an event, a heartbeat or a command's "
          "consistency_token, \"end\", or nothing");
    }
    spec.after = *after;
  }
  if (absl::Status s = CollectNames("event_types", request.event_types(), spec.event_types);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CollectNames("stream_types", request.stream_types(), spec.stream_types);
      !s.ok()) {
    return s;
  }
  if (!request.stream_id().empty()) {
    if (absl::Status s =
            CheckText("stream_id", request.stream_id(), kMaxNameLength, /*required=*/true);
        !s.ok())
      return s;
    spec.stream_id = request.stream_id();
  }
  const int heartbeat_ms = request.heartbeat_ms() == 0 ? 1000 : request.heartbeat_ms();
  if (heartbeat_ms < 100 || heartbeat_ms > 60000) {
    return absl::InvalidArgumentError("heartbeat_ms: must be 100 to 60000 (0: 1000)");
  }
  spec.heartbeat = absl::Milliseconds(heartbeat_ms);
  return spec;
}

grpc::ServerWriteReactor<ordo::v1::SubscribeResponse>* EventStreamService::Subscribe(
    grpc::CallbackServerContext* context, const ordo::v1::SubscribeRequest* request) {
  if (grpc::Status allowed = AuthorizeCall(*context, CallRole::kReader); !allowed.ok()) {
    return new RefusedSubscription(allowed);
  }
  store::LogPosition head;
  if (request->from_token() == "end") {
    if (std::optional<store::LogPosition> live = tail_.head()) {
      head = *live;
    } else {  // the tail has not read yet: the database's head
      absl::StatusOr<store::ConnectionPool::Lease> connection =
          pool_.Acquire(absl::Now() + absl::Seconds(5));
      absl::Status read = connection.status();
      if (connection.ok()) {
        read = store::GuardPq("subscribe", [&]() -> absl::Status {
          pqxx::nontransaction tx(**connection);
          head = store::ReadTailHead(tx);
          return absl::OkStatus();
        });
      }
      if (!read.ok()) return new RefusedSubscription(ToGrpcStatus(read));
    }
  }
  absl::StatusOr<SubscriptionSpec> spec = SubscriptionSpecFrom(*request, head);
  if (!spec.ok()) return new RefusedSubscription(ToGrpcStatus(spec.status()));
  if (active_.fetch_add(1) >= max_subscriptions_) {
    active_.fetch_sub(1);
    return new RefusedSubscription(grpc::Status(
        grpc::StatusCode::RESOURCE_EXHAUSTED,
        absl::StrCat("at most ", max_subscriptions_, " subscriptions at once; try again later")));
  }
  auto* subscription = new EventSubscription(pool_, tail_, workers_, *std::move(spec),
                                             [this] { active_.fetch_sub(1); });
  subscription->Begin();
  return subscription;
}

}  // namespace ordo::query
