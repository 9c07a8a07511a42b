// An Ordo server binary started as a real process on a free port.
#include "support/service_process.h"

#include <gtest/gtest.h>

#include <regex>

#include "absl/strings/str_cat.h"

namespace ordo::testing {

ServiceProcess::ServiceProcess(const std::string& binary, const std::string& database_url,
                               const std::vector<std::string>& extra) {
  std::vector<std::string> argv = {binary, "--database_url=" + database_url,
                                   "--listen=127.0.0.1:0"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  process_ = std::make_unique<ChildProcess>(argv);
  std::optional<std::string> output = process_->WaitForOutput("(port ", absl::Seconds(20));
  std::smatch match;
  if (!output || !std::regex_search(*output, match, std::regex("\\(port ([0-9]+)\\)"))) {
    ADD_FAILURE() << binary << " did not start:\n" << process_->Output();
    return;
  }
  port_ = std::stoi(match[1]);
  channel_ =
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port_), grpc::InsecureChannelCredentials());
}

std::unique_ptr<grpc::ClientContext> ClientContext(std::chrono::milliseconds timeout) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + timeout);
  return context;
}

}  // namespace ordo::testing
