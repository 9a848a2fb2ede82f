// A TCP listener on loopback that accepts every connection and never writes
// a byte: a hung directory (or any hung dependency) for tests and benchmarks.
#ifndef IDENTITY_TESTS_SUPPORT_SILENT_LISTENER_H_
#define IDENTITY_TESTS_SUPPORT_SILENT_LISTENER_H_

#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace identity::testing {

class SilentListener {
 public:
  SilentListener();
  ~SilentListener();
  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;

  int port() const { return port_; }
  // The listener as an LDAP URL.
  std::string url() const {
    return "ldap://127.0.0.1:" + std::to_string(port_);
  }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<int> held_;  // accepted connections, kept open until the end
};

}  // namespace identity::testing

#endif  // IDENTITY_TESTS_SUPPORT_SILENT_LISTENER_H_
