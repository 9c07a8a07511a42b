// Reading a service's Prometheus endpoint in tests.
#include "support/metrics_scrape.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace ordo::testing {
namespace {

// Labels of a series line's {...} part: a="b",c="d" (values without quotes or commas, as
// Ordo's are).
std::map<std::string, std::string> ParseLabels(absl::string_view inside) {
  std::map<std::string, std::string> labels;
  for (absl::string_view pair : absl::StrSplit(inside, ',', absl::SkipEmpty())) {
    std::pair<std::string, std::string> kv = absl::StrSplit(pair, absl::MaxSplits('=', 1));
    std::string value = kv.second;
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    labels[kv.first] = value;
  }
  return labels;
}

}  // namespace

std::optional<std::string> ScrapeMetrics(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return std::nullopt;
  timeval timeout{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return std::nullopt;
  }
  const std::string request = "GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
  if (write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) {
    close(fd);
    return std::nullopt;
  }
  std::string response;
  char buffer[65536];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    response.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  const size_t body = response.find("\r\n\r\n");
  if (!absl::StartsWith(response, "HTTP/1.") || !absl::StrContains(response.substr(0, 16), "200") ||
      body == std::string::npos) {
    return std::nullopt;
  }
  return response.substr(body + 4);
}

int MetricsPort(ChildProcess& process) {
  std::optional<std::string> output = process.WaitForOutput("(metrics port ", absl::Seconds(20));
  std::smatch match;
  if (!output || !std::regex_search(*output, match, std::regex("\\(metrics port ([0-9]+)\\)"))) {
    return 0;
  }
  return std::stoi(match[1]);
}

std::optional<double> SeriesValue(const std::string& text, const std::string& name,
                                  const std::map<std::string, std::string>& labels) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (!absl::ConsumePrefix(&line, name)) continue;
    std::map<std::string, std::string> found;
    if (absl::ConsumePrefix(&line, "{")) {
      const size_t end = line.find('}');
      if (end == line.npos) continue;
      found = ParseLabels(line.substr(0, end));
      line.remove_prefix(end + 1);
    }
    if (!absl::ConsumePrefix(&line, " ") || found != labels) continue;
    double value = 0;
    if (line == "+Inf") return std::numeric_limits<double>::infinity();
    if (absl::SimpleAtod(line, &value)) return value;
  }
  return std::nullopt;
}

bool HasFamily(const std::string& text, const std::string& name) {
  return absl::StrContains(text, absl::StrCat("# TYPE ", name, " "));
}

std::string PromtoolProblems(const std::string& text) {
  char path[] = "/tmp/ordo-metrics-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return "cannot write a temporary file";
  close(fd);
  std::ofstream(path) << text;
  const std::string command = absl::StrCat("promtool check metrics < ", path, " 2>&1");
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "cannot run promtool";
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  const int status = pclose(pipe);
  unlink(path);
  if (status != 0) return output.empty() ? absl::StrCat("promtool exit ", status) : output;
  return "";
}

}  // namespace ordo::testing
