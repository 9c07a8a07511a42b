// The start of every long-running Ordo binary, and the flags they share.
#include "common/service_main.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/config.h"
#include "common/log.h"
#include "common/signals.h"

ABSL_FLAG(std::string, log_format, "",
          "text (for a terminal) or json (one object a line) (env ORDO_LOG_FORMAT; default "
          "text)");
ABSL_FLAG(std::string, metrics_listen, "",
          "host:port to serve Prometheus metrics on at /metrics; empty: no metrics endpoint");

namespace ordo {

ServiceMain::ServiceMain(absl::string_view program, absl::string_view usage, int argc,
                         char** argv) {
  BlockShutdownSignals();
  // Debian's abseil checks every Mutex acquisition for lock-order cycles: a cost on every
  // call that production does not need.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  SetLogProgramName(program);
  absl::SetProgramUsageMessage(usage);
  for (char* argument : absl::ParseCommandLine(argc, argv)) positional_.emplace_back(argument);

  const std::string format = FlagOrEnv(absl::GetFlag(FLAGS_log_format), "ORDO_LOG_FORMAT", "text");
  if (format == "json") {
    SetLogFormat(LogFormat::kJson);
  } else if (format != "text") {
    std::exit(Fail("--log_format must be text or json"));
  }
  const std::string listen = absl::GetFlag(FLAGS_metrics_listen);
  if (!listen.empty()) {
    absl::StatusOr<std::unique_ptr<MetricsEndpoint>> endpoint = MetricsEndpoint::Start(listen);
    if (!endpoint.ok()) std::exit(Fail(endpoint.status().message()));
    metrics_ = std::move(*endpoint);
    std::printf("%s metrics on %s (metrics port %d)\n", std::string(program).c_str(),
                listen.c_str(), metrics_->port());
    std::fflush(stdout);
  }
}

int ServiceMain::Fail(absl::string_view message) const {
  LogError(message);
  return 1;
}

}  // namespace ordo
