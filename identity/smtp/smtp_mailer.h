// Sends mail over SMTP with libcurl (smtp:// with optional STARTTLS, or
// smtps://).
#ifndef IDENTITY_IDENTITY_SMTP_SMTP_MAILER_H_
#define IDENTITY_IDENTITY_SMTP_SMTP_MAILER_H_

#include <string>

#include "absl/time/time.h"
#include "identity/mailer.h"

namespace identity {

class SmtpMailer : public Mailer {
 public:
  struct Options {
    std::string url;   // smtp://host:port or smtps://host:port
    std::string from;  // envelope and header sender
    std::string username;
    std::string password;
    bool require_tls = false;  // STARTTLS on smtp:// (smtps:// always is)
    std::string ca_file;       // trust store for the server's certificate
    absl::Duration timeout = absl::Seconds(10);
  };

  explicit SmtpMailer(Options options) : options_(std::move(options)) {}

  absl::Status Send(const MailMessage& message) override;

 private:
  const Options options_;
};

}  // namespace identity

#endif  // IDENTITY_IDENTITY_SMTP_SMTP_MAILER_H_
