// Unary gRPC callback calls whose work blocks (on the database): the handler returns at
// once and the work runs on a WorkerPool, so gRPC's own threads never wait. A call whose
// token lacks the role it needs (common/call_auth.h) is refused before it is queued; one
// whose deadline passed while it was queued, or that its client abandoned, does no work.
#ifndef ORDO_COMMON_UNARY_ON_WORKERS_H_
#define ORDO_COMMON_UNARY_ON_WORKERS_H_

#include <grpcpp/grpcpp.h>

#include <utility>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/call_auth.h"
#include "common/worker_pool.h"

namespace ordo {

// `work` returns the call's grpc::Status after filling the reply; the request, reply and
// context stay valid until it has run.
template <typename Work>
grpc::ServerUnaryReactor* UnaryOnWorkers(WorkerPool& workers, grpc::CallbackServerContext* context,
                                         CallRole needed, Work work) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (grpc::Status allowed = AuthorizeCall(*context, needed); !allowed.ok()) {
    reactor->Finish(allowed);
    return reactor;
  }
  workers.Post([context, reactor, work = std::move(work)]() mutable {
    if (context->IsCancelled() || absl::Now() >= absl::FromChrono(context->deadline())) {
      reactor->Finish(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                                   "the deadline passed before the call ran"));
      return;
    }
    reactor->Finish(work());
  });
  return reactor;
}

}  // namespace ordo

#endif  // ORDO_COMMON_UNARY_ON_WORKERS_H_
