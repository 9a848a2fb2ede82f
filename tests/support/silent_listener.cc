#include "tests/support/silent_listener.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace identity::testing {

SilentListener::SilentListener() {
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  // A deep backlog: a benchmark opens many connections at once.
  listen(fd_, 1024);
  thread_ = std::thread([this] {
    for (;;) {
      int c = accept(fd_, nullptr, nullptr);
      if (c < 0) return;  // closed by the destructor
      std::lock_guard<std::mutex> lock(mu_);
      held_.push_back(c);
    }
  });
}

SilentListener::~SilentListener() {
  shutdown(fd_, SHUT_RDWR);
  close(fd_);
  thread_.join();
  for (int c : held_) close(c);
}

}  // namespace identity::testing
