// Outgoing mail: the extension point the domain sends through.
#ifndef IDENTITY_APPLICATION_MAILER_H_
#define IDENTITY_APPLICATION_MAILER_H_

#include <memory>
#include <string>

#include "absl/status/status.h"

namespace identity {

struct MailMessage {
  std::string to;
  std::string subject;
  std::string body;  // plain text, UTF-8
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  // UNAVAILABLE when the server cannot be reached or refuses the message;
  // FAILED_PRECONDITION when mail is not configured.
  virtual absl::Status Send(const MailMessage& message) = 0;
  // OK when sending can work at all; checked before a change that needs it,
  // so that nothing is half done.
  virtual absl::Status Ready() { return absl::OkStatus(); }
};

// For a deployment without IDENTITY_SMTP_URL: every send says so.
class DisabledMailer : public Mailer {
 public:
  absl::Status Send(const MailMessage&) override { return Ready(); }
  absl::Status Ready() override {
    return absl::FailedPreconditionError(
        "mail is not configured on this server: set IDENTITY_SMTP_URL");
  }
};

}  // namespace identity

#endif  // IDENTITY_APPLICATION_MAILER_H_
