// ordo.v1.ProjectionService over gRPC: projection status and lag, dead letters, rebuilds.
#ifndef ORDO_QUERY_PROJECTION_SERVICE_H_
#define ORDO_QUERY_PROJECTION_SERVICE_H_

#include <memory>
#include <vector>

#include "ordo/v1/query_service.grpc.pb.h"
#include "store/projection.h"
#include "store/projection_admin.h"

namespace ordo::query {

class ProjectionService final : public ordo::v1::ProjectionService::Service {
 public:
  // All must outlive the service.
  ProjectionService(store::ProjectionAdmin& admin,
                    const std::vector<std::unique_ptr<store::Projection>>& projections)
      : admin_(admin), projections_(projections) {}

  grpc::Status ListProjections(grpc::ServerContext* context,
                               const ordo::v1::ListProjectionsRequest* request,
                               ordo::v1::ListProjectionsResponse* reply) override;
  grpc::Status ListDeadLetters(grpc::ServerContext* context,
                               const ordo::v1::ListDeadLettersRequest* request,
                               ordo::v1::ListDeadLettersResponse* reply) override;
  grpc::Status ReplayDeadLetter(grpc::ServerContext* context,
                                const ordo::v1::ReplayDeadLetterRequest* request,
                                ordo::v1::ReplayDeadLetterResponse* reply) override;
  grpc::Status DiscardDeadLetter(grpc::ServerContext* context,
                                 const ordo::v1::DiscardDeadLetterRequest* request,
                                 ordo::v1::DeadLetter* reply) override;
  grpc::Status RebuildProjection(grpc::ServerContext* context,
                                 const ordo::v1::RebuildProjectionRequest* request,
                                 ordo::v1::RebuildProjectionResponse* reply) override;

 private:
  store::ProjectionAdmin& admin_;
  const std::vector<std::unique_ptr<store::Projection>>& projections_;
};

}  // namespace ordo::query

#endif  // ORDO_QUERY_PROJECTION_SERVICE_H_
