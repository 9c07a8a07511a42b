// ordo.v1.OrderQueryService over gRPC: GetOrder (with read-your-writes on a consistency
// token), ListOrders and GetOrderHistory, translating to the read models. A callback
// service: the database work runs on a WorkerPool.
#ifndef ORDO_QUERY_ORDER_QUERY_SERVICE_H_
#define ORDO_QUERY_ORDER_QUERY_SERVICE_H_

#include "common/worker_pool.h"
#include "ordo/v1/query_service.grpc.pb.h"
#include "query/read_models/order_read_model.h"
#include "query/read_models/stream_history.h"
#include "store/projection/projection_admin.h"

namespace ordo::query {

class OrderQueryService final : public ordo::v1::OrderQueryService::CallbackService {
 public:
  // All must outlive the service.
  OrderQueryService(OrderReadModel& orders, StreamHistory& history, store::ProjectionAdmin& admin,
                    WorkerPool& workers)
      : orders_(orders), history_(history), admin_(admin), workers_(workers) {}

  grpc::ServerUnaryReactor* GetOrder(grpc::CallbackServerContext* context,
                                     const ordo::v1::GetOrderRequest* request,
                                     ordo::v1::Order* reply) override;
  grpc::ServerUnaryReactor* ListOrders(grpc::CallbackServerContext* context,
                                       const ordo::v1::ListOrdersRequest* request,
                                       ordo::v1::ListOrdersResponse* reply) override;
  grpc::ServerUnaryReactor* GetOrderHistory(grpc::CallbackServerContext* context,
                                            const ordo::v1::GetOrderHistoryRequest* request,
                                            ordo::v1::GetOrderHistoryResponse* reply) override;

 private:
  OrderReadModel& orders_;
  StreamHistory& history_;
  store::ProjectionAdmin& admin_;
  WorkerPool& workers_;
};

}  // namespace ordo::query

#endif  // ORDO_QUERY_ORDER_QUERY_SERVICE_H_
