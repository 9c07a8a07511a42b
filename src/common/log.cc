// Line logging: lines are formatted on the caller's thread and written by spdlog's
// asynchronous logger (one thread, a bounded queue that overruns its oldest line).
#include "common/log.h"

#include <spdlog/async.h>
#include <spdlog/async_logger.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace ordo {
namespace {

constexpr size_t kQueuedLines = 8192;

struct LogState {
  absl::Mutex mu;
  std::string program ABSL_GUARDED_BY(mu) = "ordo";
  LogFormat format ABSL_GUARDED_BY(mu) = LogFormat::kText;
  // Null before the first line and after FlushLogs(): lines are then written directly.
  std::shared_ptr<spdlog::details::thread_pool> writer_thread ABSL_GUARDED_BY(mu);
  std::shared_ptr<spdlog::async_logger> logger ABSL_GUARDED_BY(mu);
  bool flushed ABSL_GUARDED_BY(mu) = false;
};

LogState& State() {
  static LogState* state = new LogState();
  return *state;
}

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

std::string Timestamp() {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
}

std::string TextLine(const std::string& program, LogLevel level, absl::string_view message,
                     const LogContext& context) {
  std::string line = absl::StrCat(Timestamp(), " ", program, ": ");
  if (level != LogLevel::kInfo) absl::StrAppend(&line, LevelName(level), ": ");
  absl::StrAppend(&line, message);
  if (!context.correlation_id.empty()) {
    absl::StrAppend(&line, " correlation_id=", context.correlation_id);
  }
  if (!context.causation_id.empty()) absl::StrAppend(&line, " causation_id=", context.causation_id);
  if (!context.trace_id.empty()) absl::StrAppend(&line, " trace_id=", context.trace_id);
  return line;
}

std::string JsonLine(const std::string& program, LogLevel level, absl::string_view message,
                     const LogContext& context) {
  nlohmann::json line = {{"ts", Timestamp()},
                         {"level", LevelName(level)},
                         {"msg", std::string(message)},
                         {"service", program}};
  if (!context.correlation_id.empty()) {
    line["correlation_id"] = std::string(context.correlation_id);
  }
  if (!context.causation_id.empty()) line["causation_id"] = std::string(context.causation_id);
  if (!context.trace_id.empty()) line["trace_id"] = std::string(context.trace_id);
  // `replace`: a message with invalid UTF-8 is still logged, never thrown over.
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void WriteDirectly(std::string line) {
  line += '\n';
  // One write() keeps concurrent lines whole.
  ssize_t ignored = write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

void FlushAtExit() { FlushLogs(); }

}  // namespace

void SetLogProgramName(absl::string_view name) {
  LogState& state = State();
  absl::MutexLock lock(&state.mu);
  state.program = std::string(name);
}

void SetLogFormat(LogFormat format) {
  LogState& state = State();
  absl::MutexLock lock(&state.mu);
  state.format = format;
}

void Log(LogLevel level, absl::string_view message, const LogContext& context) {
  LogState& state = State();
  std::shared_ptr<spdlog::async_logger> logger;
  std::string line;
  {
    absl::MutexLock lock(&state.mu);
    line = state.format == LogFormat::kJson ? JsonLine(state.program, level, message, context)
                                            : TextLine(state.program, level, message, context);
    if (state.logger == nullptr && !state.flushed) {
      state.writer_thread = std::make_shared<spdlog::details::thread_pool>(kQueuedLines, 1);
      auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
      state.logger =
          std::make_shared<spdlog::async_logger>("ordo", std::move(sink), state.writer_thread,
                                                 spdlog::async_overflow_policy::overrun_oldest);
      state.logger->set_pattern("%v");
      std::atexit(FlushAtExit);
    }
    logger = state.logger;
  }
  if (logger == nullptr) {
    WriteDirectly(std::move(line));
    return;
  }
  logger->log(spdlog::level::info, spdlog::string_view_t(line.data(), line.size()));
}

void FlushLogs() {
  LogState& state = State();
  std::shared_ptr<spdlog::details::thread_pool> writer_thread;
  {
    absl::MutexLock lock(&state.mu);
    state.flushed = true;
    state.logger.reset();
    writer_thread = std::move(state.writer_thread);
  }
  // The last owner of the writer's thread pool drains its queue and joins it here.
  writer_thread.reset();
}

}  // namespace ordo
