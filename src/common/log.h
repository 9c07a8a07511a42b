// Minimal line logging to stderr: one line per message, safe from any thread.
#ifndef ORDO_COMMON_LOG_H_
#define ORDO_COMMON_LOG_H_

#include "absl/strings/string_view.h"

namespace ordo {

// Writes "<UTC timestamp> <program>: <message>\n" to stderr in one write.
void LogLine(absl::string_view message);

// Sets the program name shown in every line (call once at start-up).
void SetLogProgramName(absl::string_view name);

}  // namespace ordo

#endif  // ORDO_COMMON_LOG_H_
