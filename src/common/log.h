// Line logging for every Ordo process: text for a terminal (the default) or one JSON object
// a line for a log pipeline (DESIGN §13). Lines go through a bounded in-memory queue to one
// writer thread, so a slow reader of stderr never blocks the caller; when the queue is full
// the oldest line waiting is dropped. Safe from any thread.
#ifndef ORDO_COMMON_LOG_H_
#define ORDO_COMMON_LOG_H_

#include "absl/strings/string_view.h"

namespace ordo {

enum class LogFormat { kText, kJson };
enum class LogLevel { kInfo, kWarning, kError };

// What a line is about, where known; empty fields are left out.
struct LogContext {
  absl::string_view correlation_id;
  absl::string_view causation_id;
  absl::string_view trace_id;
};

// Sets the program name shown in every line (`service` in JSON). Call once at start-up.
void SetLogProgramName(absl::string_view name);

// Text: "<UTC time> <program>: [warning: |error: ]<message>[ key=value ...]".
// JSON: {"ts","level","msg","service", and the context's non-empty ids}.
void SetLogFormat(LogFormat format);

void Log(LogLevel level, absl::string_view message, const LogContext& context = {});

inline void LogLine(absl::string_view message) { Log(LogLevel::kInfo, message); }
inline void LogError(absl::string_view message) { Log(LogLevel::kError, message); }

// Writes every queued line; later lines are written directly. Runs at exit by itself.
void FlushLogs();

}  // namespace ordo

#endif  // ORDO_COMMON_LOG_H_
