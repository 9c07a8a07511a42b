// Reading a service's Prometheus endpoint in tests: GET /metrics over a plain socket, one
// series' value by name and labels, and `promtool check metrics` over the text.
#ifndef ORDO_TESTS_SUPPORT_METRICS_SCRAPE_H_
#define ORDO_TESTS_SUPPORT_METRICS_SCRAPE_H_

#include <map>
#include <optional>
#include <string>

#include "support/child_process.h"

namespace ordo::testing {

// The body of http://127.0.0.1:<port>/metrics, or nullopt when it cannot be read.
std::optional<std::string> ScrapeMetrics(int port);

// The port from a "(metrics port N)" start-up line, waiting up to 20 s for it; 0 if none.
int MetricsPort(ChildProcess& process);

// The value of the series `name` with exactly `labels`, or nullopt when there is none.
std::optional<double> SeriesValue(const std::string& text, const std::string& name,
                                  const std::map<std::string, std::string>& labels = {});

// Whether the family `name` has a TYPE line (it is registered, with or without series).
bool HasFamily(const std::string& text, const std::string& name);

// promtool's verdict: empty when it accepts `text`, else what it printed.
std::string PromtoolProblems(const std::string& text);

}  // namespace ordo::testing

#endif  // ORDO_TESTS_SUPPORT_METRICS_SCRAPE_H_
