// An Ordo server binary started as a real process on a free port ("--listen=127.0.0.1:0"),
// with the port read from its "(port N)" start-up line, and a channel to it.
#ifndef ORDO_TESTS_SUPPORT_SERVICE_PROCESS_H_
#define ORDO_TESTS_SUPPORT_SERVICE_PROCESS_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "support/child_process.h"

namespace ordo::testing {

class ServiceProcess {
 public:
  // Starts `binary` with --database_url, --listen=127.0.0.1:0 and `extra` flags, and waits
  // up to 20 s for it to listen. started() tells whether it did (a test failure is added
  // otherwise, with the process's output).
  ServiceProcess(const std::string& binary, const std::string& database_url,
                 const std::vector<std::string>& extra = {});

  bool started() const { return port_ != 0; }
  int port() const { return port_; }
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  ChildProcess& process() { return *process_; }

 private:
  std::unique_ptr<ChildProcess> process_;
  int port_ = 0;
  std::shared_ptr<grpc::Channel> channel_;
};

// A client context with a deadline (10 s unless given).
std::unique_ptr<grpc::ClientContext> ClientContext(
    std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace ordo::testing

#endif  // ORDO_TESTS_SUPPORT_SERVICE_PROCESS_H_
