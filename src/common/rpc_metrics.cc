// A server interceptor that counts and times every call.
#include "common/rpc_metrics.h"

#include <google/protobuf/descriptor.h>

#include <array>
#include <atomic>
#include <chrono>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/metrics.h"

namespace ordo {
namespace {

using grpc::experimental::InterceptionHookPoints;

constexpr int kCodes = 17;  // grpc::StatusCode OK .. UNAUTHENTICATED

const char* CodeName(int code) {
  static constexpr std::array<const char*, kCodes> kNames = {"OK",
                                                             "CANCELLED",
                                                             "UNKNOWN",
                                                             "INVALID_ARGUMENT",
                                                             "DEADLINE_EXCEEDED",
                                                             "NOT_FOUND",
                                                             "ALREADY_EXISTS",
                                                             "PERMISSION_DENIED",
                                                             "RESOURCE_EXHAUSTED",
                                                             "FAILED_PRECONDITION",
                                                             "ABORTED",
                                                             "OUT_OF_RANGE",
                                                             "UNIMPLEMENTED",
                                                             "INTERNAL",
                                                             "UNAVAILABLE",
                                                             "DATA_LOSS",
                                                             "UNAUTHENTICATED"};
  return code >= 0 && code < kCodes ? kNames[code] : "UNKNOWN";
}

// One method's series; the counters are made on the first call that ends with their code.
class MethodSeries {
 public:
  explicit MethodSeries(std::string method)
      : method_(std::move(method)),
        duration_(AddHistogram("ordo_rpc_duration_seconds",
                               "Time from a call's arrival to its status, by method.",
                               {{"method", method_}}, LatencyBuckets())) {}

  void Record(int code, double seconds) {
    duration_.Observe(seconds);
    if (code < 0 || code >= kCodes) code = static_cast<int>(grpc::StatusCode::UNKNOWN);
    prometheus::Counter* counter = by_code_[code].load(std::memory_order_acquire);
    if (counter == nullptr) {
      absl::MutexLock lock(&mu_);
      counter = by_code_[code].load(std::memory_order_relaxed);
      if (counter == nullptr) {
        counter = &AddCounter("ordo_rpc_requests_total", "Calls that ended, by method and code.",
                              {{"method", method_}, {"code", CodeName(code)}});
        by_code_[code].store(counter, std::memory_order_release);
      }
    }
    counter->Increment();
  }

 private:
  const std::string method_;
  prometheus::Histogram& duration_;
  absl::Mutex mu_;
  std::array<std::atomic<prometheus::Counter*>, kCodes> by_code_{};
};

class RpcMetricsInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit RpcMetricsInterceptor(MethodSeries& series)
      : series_(series), started_(std::chrono::steady_clock::now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started_;
      series_.Record(static_cast<int>(methods->GetSendStatus().error_code()), elapsed.count());
    }
    methods->Proceed();
  }

 private:
  MethodSeries& series_;
  const std::chrono::steady_clock::time_point started_;
};

class RpcMetricsFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit RpcMetricsFactory(const std::vector<std::string>& service_names) : unknown_("unknown") {
    const google::protobuf::DescriptorPool* pool =
        google::protobuf::DescriptorPool::generated_pool();
    for (const std::string& name : service_names) {
      const google::protobuf::ServiceDescriptor* service = pool->FindServiceByName(name);
      if (service == nullptr) continue;
      for (int i = 0; i < service->method_count(); ++i) {
        const std::string method = absl::StrCat(name, "/", service->method(i)->name());
        by_path_.emplace(absl::StrCat("/", method), std::make_unique<MethodSeries>(method));
      }
    }
  }

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    auto it = info->method() == nullptr ? by_path_.end() : by_path_.find(info->method());
    return new RpcMetricsInterceptor(it == by_path_.end() ? unknown_ : *it->second);
  }

 private:
  // Fixed at construction, then only read.
  absl::flat_hash_map<std::string, std::unique_ptr<MethodSeries>> by_path_;
  MethodSeries unknown_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> RpcMetricsInterceptors(
    const std::vector<std::string>& service_names) {
  return std::make_unique<RpcMetricsFactory>(service_names);
}

}  // namespace ordo
