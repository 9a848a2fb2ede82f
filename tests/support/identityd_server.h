// The real identityd binary as a child process, for end-to-end tests.
#ifndef IDENTITY_TESTS_SUPPORT_IDENTITYD_SERVER_H_
#define IDENTITY_TESTS_SUPPORT_IDENTITYD_SERVER_H_

#include <map>
#include <memory>
#include <string>

#include <grpcpp/channel.h>
#include <grpcpp/security/credentials.h>

#include "tests/support/process.h"

namespace identity::testing {

class IdentitydServer {
 public:
  struct Options {
    std::string database_url;
    std::string admin_username = "admin@example.com";
    std::string admin_password = "Bootstrap-Password-1";
    std::map<std::string, std::string> env;  // extra or overriding settings
    std::string listen_host = "127.0.0.1";   // "[::1]": IPv6 loopback
    // How NewChannel (and the readiness check) connect; null: plaintext.
    std::shared_ptr<grpc::ChannelCredentials> credentials;
  };

  // Starts the binary and waits until its health check answers SERVING.
  // Null if it exited or did not become ready; the log says why.
  static std::unique_ptr<IdentitydServer> Start(Options options);
  ~IdentitydServer();

  // Stops with `signal` (SIGTERM drains) and returns the exit code.
  int Stop(int signal);
  // Starts again with the same options and port.
  bool Restart();

  std::shared_ptr<grpc::Channel> NewChannel() const;
  const std::string& address() const { return address_; }
  // The body of GET /metrics (Prometheus text), empty when it failed.
  std::string Metrics() const;
  std::string log() const { return ReadFile(log_path_); }
  const Options& options() const { return options_; }
  ChildProcess& process() { return process_; }

 private:
  IdentitydServer() = default;
  bool Launch();

  Options options_;
  std::string dir_;
  std::string log_path_;
  std::string address_;
  int metrics_port_ = 0;
  ChildProcess process_;
};

// Path of the identityd binary under test.
std::string IdentitydPath();

}  // namespace identity::testing

#endif  // IDENTITY_TESTS_SUPPORT_IDENTITYD_SERVER_H_
