// A real SMTP server for tests (python3-aiosmtpd) that stores what it
// receives in a Maildir, on a free loopback port.
#ifndef IDENTITY_TESTS_SUPPORT_SMTP_SERVER_H_
#define IDENTITY_TESTS_SUPPORT_SMTP_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace identity::testing {

class SmtpServer {
 public:
  static std::unique_ptr<SmtpServer> Start();
  ~SmtpServer();

  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  // Every message received so far, as raw text, oldest first.
  std::vector<std::string> Messages() const;
  std::vector<std::string> MessagesTo(const std::string& to) const;
  // The newest message whose headers name `to`; empty if none.
  std::string LastMessageTo(const std::string& to) const;

 private:
  SmtpServer() = default;
  std::string dir_;
  int port_ = 0;
  ChildProcess process_;
};

// The value of the `token` query parameter in a mailed link; empty if none.
std::string TokenFromMail(const std::string& message);

}  // namespace identity::testing

#endif  // IDENTITY_TESTS_SUPPORT_SMTP_SERVER_H_
