// A real child process for end-to-end tests: started with arguments and extra environment,
// its stdout and stderr collected, signalled, and reaped. Killed (SIGKILL) when destroyed
// while still running.
#ifndef ORDO_TESTS_SUPPORT_CHILD_PROCESS_H_
#define ORDO_TESTS_SUPPORT_CHILD_PROCESS_H_

#include <sys/types.h>

#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace ordo::testing {

class ChildProcess {
 public:
  // Starts `argv[0]` with `argv`; `env` entries ("NAME=value") are added to this process's
  // environment.
  ChildProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Waits until the combined output contains `text`; returns the output then, or nullopt
  // on timeout or when the process exited without printing it.
  std::optional<std::string> WaitForOutput(const std::string& text, absl::Duration timeout);

  std::string Output();
  void Signal(int signal_number);

  // The exit code (128 + signal when killed by one), or nullopt while it still runs after
  // `timeout`.
  std::optional<int> WaitForExit(absl::Duration timeout);

  pid_t pid() const { return pid_; }

 private:
  void ReadOutput(int fd);

  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::thread reader_;
  absl::Mutex mu_;
  std::string output_ ABSL_GUARDED_BY(mu_);
  bool output_closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace ordo::testing

#endif  // ORDO_TESTS_SUPPORT_CHILD_PROCESS_H_
