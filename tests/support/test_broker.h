// A private RabbitMQ broker for one test binary (tests/support/rabbitmq_broker.sh): its
// own folder and free ports, killed (-9) and restarted on demand, stopped and removed
// when the object dies. Starting takes about 10 s.
#ifndef ORDO_TESTS_SUPPORT_TEST_BROKER_H_
#define ORDO_TESTS_SUPPORT_TEST_BROKER_H_

#include <string>

namespace ordo::testing {

class TestBroker {
 public:
  // Starts it; started() tells whether it did (a test failure is added otherwise).
  TestBroker();
  ~TestBroker();
  TestBroker(const TestBroker&) = delete;
  TestBroker& operator=(const TestBroker&) = delete;

  bool started() const { return started_; }
  // amqp://guest:guest@127.0.0.1:PORT
  std::string url() const;

  // SIGKILL of the broker process.
  void Kill();
  // Starts it again on the same folder and port (its durable queues and messages kept).
  bool Restart();
  // What rabbitmqctl list_queues says (name, ready, unacknowledged, consumers) and the end
  // of the broker's log, for a failing test to print.
  std::string Diagnostics() const;

 private:
  // `bash rabbitmq_broker.sh COMMAND DIR [PORT]`, as a shell command line.
  std::string ScriptLine(const std::string& command) const;
  bool Run(const std::string& command) const;

  std::string dir_;
  int port_ = 0;
  bool started_ = false;
};

}  // namespace ordo::testing

#endif  // ORDO_TESTS_SUPPORT_TEST_BROKER_H_
