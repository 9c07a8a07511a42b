// The server interceptor around every call: parse failures as INVALID_ARGUMENT, and the
// call metrics.
#include "common/call_interceptor.h"

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

// What the interceptor knows of a method.
struct Method {
  std::string request_type;  // e.g. "ordo.v1.CreateOrderRequest"; empty: not one of ours
  std::unique_ptr<MethodSeries> series;  // null without metrics
};

class CallInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit CallInterceptor(const Method& method)
      : method_(method), started_(std::chrono::steady_clock::now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      grpc::Status status = methods->GetSendStatus();
      // gRPC answers a request it could not parse with UNIMPLEMENTED and no message before
      // any handler runs; none of Ordo's handlers ends a call that way.
      if (!method_.request_type.empty() && status.error_code() == grpc::StatusCode::UNIMPLEMENTED &&
          status.error_message().empty()) {
        status = grpc::Status(
            grpc::StatusCode::INVALID_ARGUMENT,
            absl::StrCat("request: not a valid ", method_.request_type,
                         " (a string field holds invalid UTF-8, or a field has the wrong wire "
                         "type)"));
        methods->ModifySendStatus(status);
      }
      if (method_.series != nullptr) {
        const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started_;
        method_.series->Record(static_cast<int>(status.error_code()), elapsed.count());
      }
    }
    methods->Proceed();
  }

 private:
  const Method& method_;
  const std::chrono::steady_clock::time_point started_;
};

class CallInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  CallInterceptorFactory(const std::vector<std::string>& service_names, bool metrics) {
    const google::protobuf::DescriptorPool* pool =
        google::protobuf::DescriptorPool::generated_pool();
    for (const std::string& name : service_names) {
      const google::protobuf::ServiceDescriptor* service = pool->FindServiceByName(name);
      if (service == nullptr) continue;
      for (int i = 0; i < service->method_count(); ++i) {
        const google::protobuf::MethodDescriptor* descriptor = service->method(i);
        const std::string method = absl::StrCat(name, "/", descriptor->name());
        Method& known = by_path_[absl::StrCat("/", method)];
        known.request_type = descriptor->input_type()->full_name();
        if (metrics) known.series = std::make_unique<MethodSeries>(method);
      }
    }
    if (metrics) unknown_.series = std::make_unique<MethodSeries>("unknown");
  }

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    auto it = info->method() == nullptr ? by_path_.end() : by_path_.find(info->method());
    return new CallInterceptor(it == by_path_.end() ? unknown_ : it->second);
  }

 private:
  // Fixed at construction, then only read.
  absl::flat_hash_map<std::string, Method> by_path_;
  Method unknown_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> CallInterceptors(
    const std::vector<std::string>& service_names, bool metrics) {
  return std::make_unique<CallInterceptorFactory>(service_names, metrics);
}

}  // namespace ordo
