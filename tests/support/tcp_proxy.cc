// A loopback TCP proxy that can cut the line, for database-outage tests.
#include "support/tcp_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <utility>
#include <vector>

namespace ordo::testing {
namespace {

sockaddr_in Loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

}  // namespace

TcpProxy::TcpProxy(int target_port) : target_port_(target_port) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = Loopback(0);
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      listen(listen_fd_, 64) != 0) {
    std::abort();
  }
  socklen_t length = sizeof(address);
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { Run(); });
}

TcpProxy::~TcpProxy() {
  stop_ = true;
  thread_.join();
  close(listen_fd_);
}

void TcpProxy::Cut() {
  cut_ = true;
  const int seen = cut_rounds_;
  while (cut_rounds_ == seen) std::this_thread::yield();
}

void TcpProxy::Run() {
  std::vector<std::pair<int, int>> links;  // (client, upstream)
  auto close_link = [](std::pair<int, int>& link) {
    close(link.first);
    close(link.second);
    link = {-1, -1};
  };
  while (!stop_) {
    if (frozen_ && !cut_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    if (cut_) {
      for (auto& link : links) close_link(link);
      links.clear();
      ++cut_rounds_;
    }
    std::vector<pollfd> fds{{listen_fd_, POLLIN, 0}};
    for (const auto& link : links) {
      fds.push_back({link.first, POLLIN, 0});
      fds.push_back({link.second, POLLIN, 0});
    }
    if (poll(fds.data(), fds.size(), 20) <= 0) continue;
    const size_t polled = links.size();  // links accepted below are polled next round
    if (fds[0].revents & POLLIN) {
      int client = accept(listen_fd_, nullptr, nullptr);
      if (client >= 0 && cut_) {
        close(client);
      } else if (client >= 0) {
        int upstream = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in target = Loopback(target_port_);
        if (connect(upstream, reinterpret_cast<sockaddr*>(&target), sizeof(target)) == 0) {
          links.emplace_back(client, upstream);
        } else {
          close(client);
          close(upstream);
        }
      }
    }
    char buffer[16384];
    for (size_t i = 0; i < polled; ++i) {
      for (int side = 0; side < 2; ++side) {
        const pollfd& p = fds[1 + 2 * i + side];
        if ((p.revents & (POLLIN | POLLHUP | POLLERR)) == 0 || links[i].first < 0) continue;
        const int from = side == 0 ? links[i].first : links[i].second;
        const int to = side == 0 ? links[i].second : links[i].first;
        ssize_t n = read(from, buffer, sizeof(buffer));
        bool ok = n > 0;
        for (ssize_t sent = 0; ok && sent < n;) {
          ssize_t w = write(to, buffer + sent, static_cast<size_t>(n - sent));
          ok = w > 0;
          sent += w > 0 ? w : 0;
        }
        if (!ok) close_link(links[i]);
      }
    }
    std::vector<std::pair<int, int>> open;
    for (const auto& link : links) {
      if (link.first >= 0) open.push_back(link);
    }
    links.swap(open);
  }
  for (auto& link : links) close_link(link);
}

}  // namespace ordo::testing
