// Expires idempotency records (DESIGN §14): command_requests rows older than the retention
// are deleted in small batches by one thread, so the table stops growing without a long
// statement or lock that appends would wait on. Several processes may run one each: a
// batch skips the rows another one holds. A request repeated after its record expired is
// a new request; keep the retention longer than any client retries.
#ifndef ORDO_STORE_LOG_REQUEST_EXPIRY_H_
#define ORDO_STORE_LOG_REQUEST_EXPIRY_H_

#include <prometheus/counter.h>

#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/stop_signal.h"

namespace ordo::store {

struct RequestExpiryOptions {
  absl::Duration retention = absl::Hours(24 * 7);
  int batch_size = 1000;
  // How often to look when the last look found less than a batch.
  absl::Duration interval = absl::Minutes(1);
};

class RequestExpiry {
 public:
  RequestExpiry(std::string connection_string, RequestExpiryOptions options);
  ~RequestExpiry();  // stops the thread
  RequestExpiry(const RequestExpiry&) = delete;
  RequestExpiry& operator=(const RequestExpiry&) = delete;

  void Start();

 private:
  void Run();

  const std::string connection_string_;
  const RequestExpiryOptions options_;
  prometheus::Counter& expired_;
  StopSignal stop_;
  std::thread thread_;
};

}  // namespace ordo::store

#endif  // ORDO_STORE_LOG_REQUEST_EXPIRY_H_
