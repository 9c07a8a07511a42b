// What every long-running Ordo binary does first: block the shutdown signals (see
// common/signals.h), parse its command line, and apply the flags all of them share:
// --log_format (text or json lines, DESIGN §13) and --metrics_listen (the /metrics
// endpoint, served for as long as this object lives).
#ifndef ORDO_COMMON_SERVICE_MAIN_H_
#define ORDO_COMMON_SERVICE_MAIN_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/metrics.h"

namespace ordo {

class ServiceMain {
 public:
  // Exits the process with status 1, after logging why, when a shared flag is invalid or the
  // metrics endpoint cannot listen. Prints "<program> metrics on <listen> (metrics port N)"
  // on stdout when it serves metrics.
  ServiceMain(absl::string_view program, absl::string_view usage, int argc, char** argv);
  ServiceMain(const ServiceMain&) = delete;
  ServiceMain& operator=(const ServiceMain&) = delete;

  bool metrics_enabled() const { return metrics_ != nullptr; }

  // The command line without the flags; [0] is the program.
  const std::vector<std::string>& positional_arguments() const { return positional_; }

  // Logs `message` as an error; returns main()'s exit status for it.
  int Fail(absl::string_view message) const;

 private:
  std::vector<std::string> positional_;
  std::unique_ptr<MetricsEndpoint> metrics_;
};

}  // namespace ordo

#endif  // ORDO_COMMON_SERVICE_MAIN_H_
