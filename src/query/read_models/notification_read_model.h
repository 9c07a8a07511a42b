// The SELECT behind ListNotifications over customer_notifications (written by
// ordo-notify): one customer's, newest first, with keyset page tokens. Thread-safe; the
// pool must outlive it.
#ifndef ORDO_QUERY_READ_MODELS_NOTIFICATION_READ_MODEL_H_
#define ORDO_QUERY_READ_MODELS_NOTIFICATION_READ_MODEL_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "ordo/v1/notification_query_service.pb.h"
#include "store/pg/connection_pool.h"

namespace ordo::query {

inline constexpr int kDefaultNotificationPageSize = 50;
inline constexpr int kMaxNotificationPageSize = 500;

class NotificationReadModel {
 public:
  explicit NotificationReadModel(store::ConnectionPool& pool) : pool_(pool) {}

  // INVALID_ARGUMENT for a missing customer_id, a negative page_size, or a page_token that
  // is malformed or was made for another customer.
  absl::StatusOr<ordo::v1::ListNotificationsResponse> List(
      const ordo::v1::ListNotificationsRequest& request, absl::Time deadline);

 private:
  store::ConnectionPool& pool_;
};

}  // namespace ordo::query

#endif  // ORDO_QUERY_READ_MODELS_NOTIFICATION_READ_MODEL_H_
