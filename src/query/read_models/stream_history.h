// The history APIs (GetOrderHistory, GetFulfilmentHistory): one order's stream of a stream
// type, events in version order straight from the event log, each in its current schema
// version (lifted by the stream type's upcasters), in pages. Thread-safe.
#ifndef ORDO_QUERY_READ_MODELS_STREAM_HISTORY_H_
#define ORDO_QUERY_READ_MODELS_STREAM_HISTORY_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "events/event_codec.h"
#include "ordo/v1/query_service.pb.h"
#include "store/pg/connection_pool.h"

namespace ordo::query {

inline constexpr int kDefaultHistoryPageSize = 100;
inline constexpr int kMaxHistoryPageSize = 1000;

class StreamHistory {
 public:
  // A stream type's upcasting (its codec's Lift).
  using Lift = std::function<absl::StatusOr<events::CurrentPayload>(const store::RecordedEvent&)>;
  // Which stream an order id names, e.g. the order id itself or "fulfilment:<order_id>".
  using StreamOf = std::function<std::string(const std::string& order_id)>;

  // `noun` names the stream in NOT_FOUND ("order", "fulfilment"). `pool` must outlive this.
  StreamHistory(store::ConnectionPool& pool, std::string noun, StreamOf stream_of, Lift lift)
      : pool_(pool),
        noun_(std::move(noun)),
        stream_of_(std::move(stream_of)),
        lift_(std::move(lift)) {}

  // NOT_FOUND for a stream without events; INVALID_ARGUMENT for a bad order_id, page_size
  // or page_token.
  absl::StatusOr<ordo::v1::GetOrderHistoryResponse> Get(const std::string& order_id,
                                                        int32_t page_size,
                                                        const std::string& page_token,
                                                        absl::Time deadline);

 private:
  store::ConnectionPool& pool_;
  const std::string noun_;
  const StreamOf stream_of_;
  const Lift lift_;
};

}  // namespace ordo::query

#endif  // ORDO_QUERY_READ_MODELS_STREAM_HISTORY_H_
