// A private RabbitMQ broker for one test binary.
#include "support/test_broker.h"

#include <gtest/gtest.h>
#include <stdio.h>
#include <stdlib.h>

#include <random>

#include "absl/strings/str_cat.h"

namespace ordo::testing {
namespace {

constexpr char kScript[] = ORDO_SOURCE_DIR "/tests/support/rabbitmq_broker.sh";

// A base port with its five neighbours free (the broker uses PORT..PORT+5), below the
// kernel's ephemeral range (32768 and up), where outgoing connections could hold one.
int FreeBasePort() {
  std::random_device seed;
  std::mt19937 rng(seed());
  for (int attempt = 0; attempt < 50; ++attempt) {
    const int base = 20000 + static_cast<int>(rng() % 2100) * 6;
    bool free = true;
    for (int p = base; p < base + 6 && free; ++p) {
      free = std::system(
                 absl::StrCat("(exec 3<>/dev/tcp/127.0.0.1/", p, ") 2>/dev/null").c_str()) != 0;
    }
    if (free) return base;
  }
  return 0;
}

}  // namespace

TestBroker::TestBroker() {
  char pattern[] = "/tmp/ordo-broker.XXXXXX";
  if (mkdtemp(pattern) == nullptr) {
    ADD_FAILURE() << "mkdtemp failed";
    return;
  }
  dir_ = pattern;
  port_ = FreeBasePort();
  started_ = port_ != 0 && Run("start");
  if (!started_) ADD_FAILURE() << "the test broker did not start (log in " << dir_ << "/log)";
}

TestBroker::~TestBroker() {
  if (dir_.empty()) return;
  Run("stop");
  std::system(absl::StrCat("rm -rf '", dir_, "'").c_str());
}

std::string TestBroker::url() const { return absl::StrCat("amqp://guest:guest@127.0.0.1:", port_); }

std::string TestBroker::ScriptLine(const std::string& command) const {
  return absl::StrCat("bash '", kScript, "' ", command, " '", dir_, "'",
                      command == "start" ? absl::StrCat(" ", port_) : "");
}

bool TestBroker::Run(const std::string& command) const {
  return std::system(ScriptLine(command).c_str()) == 0;
}

void TestBroker::Kill() { EXPECT_TRUE(Run("kill")) << "could not kill the test broker"; }

bool TestBroker::Restart() { return Run("start"); }

std::string TestBroker::Diagnostics() const {
  std::string text;
  if (FILE* out = popen((ScriptLine("queues") + " 2>&1").c_str(), "r")) {
    char buffer[512];
    while (fgets(buffer, sizeof buffer, out) != nullptr) text += buffer;
    pclose(out);
  }
  return text;
}

}  // namespace ordo::testing
