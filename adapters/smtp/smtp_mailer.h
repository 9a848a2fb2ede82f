// Sends mail over SMTP with libcurl: smtp:// with STARTTLS required,
// smtps:// (TLS from the first byte), or, only when the URL says
// `?tls=none`, a plain connection to a local relay.
#ifndef IDENTITY_ADAPTERS_SMTP_SMTP_MAILER_H_
#define IDENTITY_ADAPTERS_SMTP_SMTP_MAILER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "application/mailer.h"

namespace identity {

enum class SmtpTls { kStartTls, kImplicit, kNone };

struct SmtpEndpoint {
  std::string url;  // for libcurl, without the query
  SmtpTls tls = SmtpTls::kStartTls;
};

// smtp://host[:port] (STARTTLS, refused when the server does not offer it),
// smtps://host[:port], smtp://host[:port]?tls=none (plain, for a relay on
// the same host or pod). INVALID_ARGUMENT, without a variable name, for any
// other scheme or query.
absl::StatusOr<SmtpEndpoint> ParseSmtpUrl(absl::string_view url);

class SmtpMailer : public Mailer {
 public:
  struct Options {
    std::string url;   // see ParseSmtpUrl
    std::string from;  // envelope and header sender
    std::string username;
    std::string password;
    std::string ca_file;  // trust store for the server's certificate
    absl::Duration timeout = absl::Seconds(10);
  };

  explicit SmtpMailer(Options options)
      : options_(std::move(options)), endpoint_(ParseSmtpUrl(options_.url)) {}

  absl::Status Send(const MailMessage& message) override;
  // The URL's error, if any (start-up refuses it before this is built).
  absl::Status Ready() override { return endpoint_.status(); }

 private:
  const Options options_;
  const absl::StatusOr<SmtpEndpoint> endpoint_;
};

}  // namespace identity

#endif  // IDENTITY_ADAPTERS_SMTP_SMTP_MAILER_H_
