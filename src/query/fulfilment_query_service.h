// ordo.v1.FulfilmentQueryService over gRPC: GetFulfilment (with read-your-writes on a
// consistency token), ListFulfilments and GetFulfilmentHistory, translating to the
// fulfilments read model and the saga's stream. A callback service: the database work runs
// on a WorkerPool.
#ifndef ORDO_QUERY_FULFILMENT_QUERY_SERVICE_H_
#define ORDO_QUERY_FULFILMENT_QUERY_SERVICE_H_

#include "common/worker_pool.h"
#include "ordo/v1/fulfilment_query_service.grpc.pb.h"
#include "query/read_models/fulfilment_read_model.h"
#include "query/read_models/stream_history.h"
#include "store/projection/projection_admin.h"

namespace ordo::query {

class FulfilmentQueryService final : public ordo::v1::FulfilmentQueryService::CallbackService {
 public:
  // All must outlive the service.
  FulfilmentQueryService(FulfilmentReadModel& fulfilments, StreamHistory& history,
                         store::ProjectionAdmin& admin, WorkerPool& workers)
      : fulfilments_(fulfilments), history_(history), admin_(admin), workers_(workers) {}

  grpc::ServerUnaryReactor* GetFulfilment(grpc::CallbackServerContext* context,
                                          const ordo::v1::GetFulfilmentRequest* request,
                                          ordo::v1::Fulfilment* reply) override;
  grpc::ServerUnaryReactor* ListFulfilments(grpc::CallbackServerContext* context,
                                            const ordo::v1::ListFulfilmentsRequest* request,
                                            ordo::v1::ListFulfilmentsResponse* reply) override;
  grpc::ServerUnaryReactor* GetFulfilmentHistory(
      grpc::CallbackServerContext* context, const ordo::v1::GetFulfilmentHistoryRequest* request,
      ordo::v1::GetOrderHistoryResponse* reply) override;

 private:
  FulfilmentReadModel& fulfilments_;
  StreamHistory& history_;
  store::ProjectionAdmin& admin_;
  WorkerPool& workers_;
};

}  // namespace ordo::query

#endif  // ORDO_QUERY_FULFILMENT_QUERY_SERVICE_H_
