// ordo.v1.ProjectionService over gRPC.
#include "query/projection_service.h"

#include <google/protobuf/util/time_util.h>

#include "absl/strings/str_cat.h"
#include "common/grpc_status.h"
#include "common/unary_on_workers.h"
#include "query/projections.h"
#include "query/request_checks.h"
#include "store/log/log_position.h"

namespace ordo::query {
namespace {

using google::protobuf::util::TimeUtil;

void ToProto(const store::DeadLetter& letter, ordo::v1::DeadLetter* out) {
  out->set_id(letter.id);
  out->set_projection(letter.subscriber);
  out->set_global_position(letter.global_position);
  out->set_stream_id(letter.stream_id);
  out->set_version(letter.version);
  out->set_event_type(letter.event_type);
  out->set_error(letter.error);
  out->set_attempts(letter.attempts);
  out->set_status(store::ToSql(letter.status));
  out->set_discard_reason(letter.discard_reason);
  *out->mutable_parked_at() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(letter.parked_at));
}

}  // namespace

grpc::ServerUnaryReactor* ProjectionService::ListProjections(
    grpc::CallbackServerContext* context, const ordo::v1::ListProjectionsRequest*,
    ordo::v1::ListProjectionsResponse* reply) {
  return UnaryOnWorkers(
      workers_, context, CallRole::kReader, [this, context, reply]() -> grpc::Status {
        absl::StatusOr<store::ProjectionsOverview> overview =
            admin_.Overview(CallDeadline(*context));
        if (!overview.ok()) return ToGrpcStatus(overview.status());
        for (const store::ProjectionStatus& p : overview->projections) {
          ordo::v1::Projection* out = reply->add_projections();
          out->set_name(p.name);
          out->set_checkpoint(store::EncodeConsistencyToken(p.checkpoint));
          out->set_events_behind(p.events_behind);
          out->set_seconds_behind(p.seconds_behind);
          out->set_state(store::ToSql(p.state));
          if (p.last_heartbeat) {
            *out->mutable_last_heartbeat() =
                TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(*p.last_heartbeat));
          }
          out->set_parked_count(p.parked);
          out->set_last_error(p.last_error);
          out->set_rebuild_requested(p.rebuild_requested);
        }
        reply->set_oldest_open_transaction_seconds(overview->oldest_open_transaction_seconds);
        return grpc::Status::OK;
      });
}

grpc::ServerUnaryReactor* ProjectionService::ListDeadLetters(
    grpc::CallbackServerContext* context, const ordo::v1::ListDeadLettersRequest* request,
    ordo::v1::ListDeadLettersResponse* reply) {
  return UnaryOnWorkers(
      workers_, context, CallRole::kReader, [this, context, request, reply]() -> grpc::Status {
        if (absl::Status checked = CheckText("projection", request->projection(), kMaxNameChars,
                                             /*required=*/false);
            !checked.ok()) {
          return ToGrpcStatus(checked);
        }
        absl::StatusOr<std::vector<store::DeadLetter>> letters = admin_.ListDeadLetters(
            request->projection(), request->include_resolved(), CallDeadline(*context));
        if (!letters.ok()) return ToGrpcStatus(letters.status());
        for (const store::DeadLetter& letter : *letters) ToProto(letter, reply->add_dead_letters());
        return grpc::Status::OK;
      });
}

grpc::ServerUnaryReactor* ProjectionService::ReplayDeadLetter(
    grpc::CallbackServerContext* context, const ordo::v1::ReplayDeadLetterRequest* request,
    ordo::v1::ReplayDeadLetterResponse* reply) {
  return UnaryOnWorkers(workers_, context, CallRole::kAdmin,
                        [this, context, request, reply]() -> grpc::Status {
                          if (request->id() <= 0)
                            return ToGrpcStatus(absl::InvalidArgumentError("id: must be positive"));
                          absl::StatusOr<std::vector<store::DeadLetter>> letters =
                              admin_.RequestReplay(request->id(), CallDeadline(*context));
                          if (!letters.ok()) return ToGrpcStatus(letters.status());
                          for (const store::DeadLetter& letter : *letters)
                            ToProto(letter, reply->add_dead_letters());
                          return grpc::Status::OK;
                        });
}

grpc::ServerUnaryReactor* ProjectionService::DiscardDeadLetter(
    grpc::CallbackServerContext* context, const ordo::v1::DiscardDeadLetterRequest* request,
    ordo::v1::DeadLetter* reply) {
  return UnaryOnWorkers(
      workers_, context, CallRole::kAdmin, [this, context, request, reply]() -> grpc::Status {
        // Everything the request says is checked before the letter is looked up.
        if (request->id() <= 0)
          return ToGrpcStatus(absl::InvalidArgumentError("id: must be positive"));
        if (absl::Status checked =
                CheckText("reason", request->reason(), kMaxReasonChars, /*required=*/true);
            !checked.ok()) {
          return ToGrpcStatus(checked);
        }
        absl::StatusOr<store::DeadLetter> letter =
            admin_.Discard(request->id(), request->reason(), CallDeadline(*context));
        if (!letter.ok()) return ToGrpcStatus(letter.status());
        ToProto(*letter, reply);
        return grpc::Status::OK;
      });
}

grpc::ServerUnaryReactor* ProjectionService::RebuildProjection(
    grpc::CallbackServerContext* context, const ordo::v1::RebuildProjectionRequest* request,
    ordo::v1::RebuildProjectionResponse*) {
  return UnaryOnWorkers(
      workers_, context, CallRole::kAdmin, [this, context, request]() -> grpc::Status {
        if (absl::Status checked =
                CheckText("name", request->name(), kMaxNameChars, /*required=*/true);
            !checked.ok()) {
          return ToGrpcStatus(checked);
        }
        store::Projection* projection = FindProjection(projections_, request->name());
        if (projection == nullptr) {
          return ToGrpcStatus(absl::NotFoundError(
              absl::StrCat("name: no projection called '", Shown(request->name()), "'")));
        }
        return ToGrpcStatus(admin_.RequestRebuild(projection->name(), CallDeadline(*context)));
      });
}

}  // namespace ordo::query
