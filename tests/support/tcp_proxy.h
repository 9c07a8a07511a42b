// A loopback TCP proxy that can cut the line: tests put it between a service and
// PostgreSQL to take the database "down" (every connection dropped, new ones closed at once)
// and bring it back, or to freeze it (a SIGSTOP seen from the service), without touching
// the shared test server.
#ifndef ORDO_TESTS_SUPPORT_TCP_PROXY_H_
#define ORDO_TESTS_SUPPORT_TCP_PROXY_H_

#include <atomic>
#include <thread>

namespace ordo::testing {

class TcpProxy {
 public:
  // Listens on 127.0.0.1 (a free port) and forwards to 127.0.0.1:`target_port`.
  explicit TcpProxy(int target_port);
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  int port() const { return port_; }

  // Drops every open connection and closes new ones at once, until Restore(). Returns once
  // the open connections are closed.
  void Cut();
  void Restore() { cut_ = false; }

  // Stops forwarding and accepting, connections left open, as a database does that was
  // sent SIGSTOP: what is sent waits in the sockets, new connections in the backlog, until
  // Thaw().
  void Freeze() { frozen_ = true; }
  void Thaw() { frozen_ = false; }

 private:
  void Run();

  const int target_port_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> cut_{false};
  std::atomic<bool> frozen_{false};
  std::atomic<int> cut_rounds_{0};  // loop rounds done while cut
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace ordo::testing

#endif  // ORDO_TESTS_SUPPORT_TCP_PROXY_H_
