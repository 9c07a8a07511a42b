// W3C Trace Context (https://www.w3.org/TR/trace-context/): the `traceparent` value
// "00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>" that one trace follows from a
// client's command through the events, the saga's commands and the relay's messages
// (DESIGN §13).
#ifndef ORDO_COMMON_TRACE_CONTEXT_H_
#define ORDO_COMMON_TRACE_CONTEXT_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace ordo {

struct TraceContext {
  std::string trace_id;   // 32 lower-case hex digits, not all zero
  std::string parent_id;  // 16 lower-case hex digits, not all zero: the span that sent it
  std::string flags;      // 2 hex digits; "01": sampled

  // "00-<trace_id>-<parent_id>-<flags>".
  std::string traceparent() const;
};

// The context in `traceparent`, or nullopt when it is not a valid one (the caller then
// starts a new trace, as the specification asks). Versions after 00 are read by their
// first four fields.
std::optional<TraceContext> ParseTraceparent(absl::string_view traceparent);

// A new trace, sampled.
TraceContext NewTrace();

// A span of the same trace whose parent is `parent`'s span: what a hop passes on.
TraceContext ChildSpan(const TraceContext& parent);

// ChildSpan of the parsed `traceparent`, or NewTrace() when it does not parse.
TraceContext ContinueTrace(absl::string_view traceparent);

}  // namespace ordo

#endif  // ORDO_COMMON_TRACE_CONTEXT_H_
