// Minimal line logging to stderr: one line per message, safe from any thread.
#include "common/log.h"

#include <unistd.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace ordo {
namespace {
std::string& ProgramName() {
  static std::string* name = new std::string("ordo");
  return *name;
}
}  // namespace

void SetLogProgramName(absl::string_view name) { ProgramName() = std::string(name); }

void LogLine(absl::string_view message) {
  std::string line =
      absl::StrCat(absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()), " ",
                   ProgramName(), ": ", message, "\n");
  // One write() keeps concurrent lines whole.
  ssize_t ignored = write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

}  // namespace ordo
