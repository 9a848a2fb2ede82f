// A real SMTP server for tests (python3-aiosmtpd) that stores what it
// receives in a Maildir, on a free loopback port; plain, with STARTTLS, or
// SMTPS.
#ifndef IDENTITY_TESTS_SUPPORT_SMTP_SERVER_H_
#define IDENTITY_TESTS_SUPPORT_SMTP_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace identity::testing {

class SmtpServer {
 public:
  enum class Tls {
    kNone,      // plain SMTP, no STARTTLS offered
    kStartTls,  // offers STARTTLS and refuses mail before it
    kImplicit,  // SMTPS: TLS from the first byte
  };
  // With TLS the server presents a certificate for 127.0.0.1 that ca_file()
  // signed (a throwaway CA).
  static std::unique_ptr<SmtpServer> Start(Tls tls = Tls::kNone);
  ~SmtpServer();

  // smtp://127.0.0.1:<port> (smtps:// for kImplicit), without parameters:
  // a plain server must be named with "?tls=none" added.
  std::string url() const {
    const std::string scheme = tls_ == Tls::kImplicit ? "smtps" : "smtp";
    return scheme + "://127.0.0.1:" + std::to_string(port_);
  }
  std::string ca_file() const { return dir_ + "/certs/ca.pem"; }
  // Every message received so far, as raw text, oldest first.
  std::vector<std::string> Messages() const;
  std::vector<std::string> MessagesTo(const std::string& to) const;
  // The newest message whose headers name `to`; empty if none.
  std::string LastMessageTo(const std::string& to) const;

 private:
  SmtpServer() = default;
  std::string dir_;
  int port_ = 0;
  Tls tls_ = Tls::kNone;
  ChildProcess process_;
};

// The value of the `token` query parameter in a mailed link; empty if none.
std::string TokenFromMail(const std::string& message);

}  // namespace identity::testing

#endif  // IDENTITY_TESTS_SUPPORT_SMTP_SERVER_H_
