// ordo.v1.ProjectionService over gRPC: projection status and lag, dead letters, rebuilds.
// A callback service: the database work runs on a WorkerPool.
#ifndef ORDO_QUERY_PROJECTION_SERVICE_H_
#define ORDO_QUERY_PROJECTION_SERVICE_H_

#include <memory>
#include <vector>

#include "common/worker_pool.h"
#include "ordo/v1/query_service.grpc.pb.h"
#include "store/projection/projection.h"
#include "store/projection/projection_admin.h"

namespace ordo::query {

class ProjectionService final : public ordo::v1::ProjectionService::CallbackService {
 public:
  // All must outlive the service.
  ProjectionService(store::ProjectionAdmin& admin,
                    const std::vector<std::unique_ptr<store::Projection>>& projections,
                    WorkerPool& workers)
      : admin_(admin), projections_(projections), workers_(workers) {}

  grpc::ServerUnaryReactor* ListProjections(grpc::CallbackServerContext* context,
                                            const ordo::v1::ListProjectionsRequest* request,
                                            ordo::v1::ListProjectionsResponse* reply) override;
  grpc::ServerUnaryReactor* ListDeadLetters(grpc::CallbackServerContext* context,
                                            const ordo::v1::ListDeadLettersRequest* request,
                                            ordo::v1::ListDeadLettersResponse* reply) override;
  grpc::ServerUnaryReactor* ReplayDeadLetter(grpc::CallbackServerContext* context,
                                             const ordo::v1::ReplayDeadLetterRequest* request,
                                             ordo::v1::ReplayDeadLetterResponse* reply) override;
  grpc::ServerUnaryReactor* DiscardDeadLetter(grpc::CallbackServerContext* context,
                                              const ordo::v1::DiscardDeadLetterRequest* request,
                                              ordo::v1::DeadLetter* reply) override;
  grpc::ServerUnaryReactor* RebuildProjection(grpc::CallbackServerContext* context,
                                              const ordo::v1::RebuildProjectionRequest* request,
                                              ordo::v1::RebuildProjectionResponse* reply) override;

 private:
  store::ProjectionAdmin& admin_;
  const std::vector<std::unique_ptr<store::Projection>>& projections_;
  WorkerPool& workers_;
};

}  // namespace ordo::query

#endif  // ORDO_QUERY_PROJECTION_SERVICE_H_
