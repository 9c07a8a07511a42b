// libFuzzer target: the page-token parsers of every paged query (ListOrders, the order and
// fulfilment histories, ListFulfilments, ListNotifications, ListStock), through the read
// models themselves. Each decodes its token before it asks for a connection, and the pool
// here points at a port where nothing listens: a malformed token must end INVALID_ARGUMENT
// naming its field, and one that decodes reaches the pool and ends UNAVAILABLE.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "query/read_models/fulfilment_read_model.h"
#include "query/read_models/notification_read_model.h"
#include "query/read_models/order_read_model.h"
#include "query/read_models/stock_read_model.h"
#include "query/read_models/stream_history.h"
#include "store/pg/connection_pool.h"

namespace {

void Check(const absl::Status& status) {
  if (status.ok()) std::abort();  // nothing can be read: the database is not there
  if (absl::IsInvalidArgument(status) && status.message().find(": ") != std::string::npos) {
    return;  // refused, naming a field
  }
  if (absl::IsUnavailable(status)) return;  // decoded, then no connection
  std::abort();
}

ordo::store::ConnectionPool& Pool() {
  // Port 1 on loopback: connections are refused at once.
  static auto* pool = new ordo::store::ConnectionPool(
      {"host=127.0.0.1 port=1 user=nobody dbname=nothing", 1, absl::Seconds(1)});
  return *pool;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  const absl::Time deadline = absl::Now() + absl::Seconds(1);
  const int which = in.ConsumeIntegralInRange(0, 4);
  const int32_t page_size = in.ConsumeIntegralInRange<int32_t>(-1, 600);
  const std::string filter = in.ConsumeRandomLengthString(40);
  const std::string token = in.ConsumeRemainingBytesAsString();
  switch (which) {
    case 0: {
      ordo::query::OrderReadModel orders(Pool());
      ordo::v1::ListOrdersRequest request;
      request.set_customer_id(filter);
      request.set_page_size(page_size);
      request.set_page_token(token);
      Check(orders.ListOrders(request, deadline).status());
      break;
    }
    case 1: {
      ordo::query::StreamHistory history(
          Pool(), "order", [](const std::string& id) { return id; },
          [](const ordo::store::RecordedEvent&) {
            return absl::StatusOr<ordo::events::CurrentPayload>(absl::InternalError("not reached"));
          });
      Check(history.Get(filter, page_size, token, deadline).status());
      break;
    }
    case 2: {
      ordo::query::FulfilmentReadModel fulfilments(Pool());
      ordo::v1::ListFulfilmentsRequest request;
      request.set_state(static_cast<ordo::v1::FulfilmentState>(page_size % 7));
      request.set_page_size(page_size);
      request.set_page_token(token);
      Check(fulfilments.List(request, deadline).status());
      break;
    }
    case 3: {
      ordo::query::NotificationReadModel notifications(Pool());
      ordo::v1::ListNotificationsRequest request;
      request.set_customer_id(filter);
      request.set_page_size(page_size);
      request.set_page_token(token);
      Check(notifications.List(request, deadline).status());
      break;
    }
    default: {
      ordo::query::StockReadModel stock(Pool());
      ordo::v1::ListStockRequest request;
      request.set_page_size(page_size);
      request.set_page_token(token);
      if (page_size % 2 == 0) request.set_available_below(page_size);
      Check(stock.ListStock(request, deadline).status());
      break;
    }
  }
  return 0;
}
