#include "adapters/smtp/smtp_mailer.h"

#include <curl/curl.h>

#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "common/crypto.h"
#include "common/error_info.h"
#include "common/log.h"

namespace identity {
namespace {

// Header values must not carry line breaks (header injection).
std::string OneLine(const std::string& s) {
  return absl::StrReplaceAll(s, {{"\r", " "}, {"\n", " "}});
}

struct Payload {
  std::string data;
  size_t offset = 0;
};

size_t ReadPayload(char* buffer, size_t size, size_t count, void* userdata) {
  auto* p = static_cast<Payload*>(userdata);
  const size_t n = std::min(size * count, p->data.size() - p->offset);
  std::memcpy(buffer, p->data.data() + p->offset, n);
  p->offset += n;
  return n;
}

std::string Domain(const std::string& address) {
  size_t at = address.rfind('@');
  return at == std::string::npos ? "localhost" : address.substr(at + 1);
}

// What a failure means, for the log (the caller only learns that the mail
// could not be sent).
const char* Explain(CURLcode rc, SmtpTls tls) {
  if (rc == CURLE_USE_SSL_FAILED && tls == SmtpTls::kStartTls) {
    return "the mail server does not offer STARTTLS; nothing was sent (add "
           "?tls=none to IDENTITY_SMTP_URL only for a relay on this host)";
  }
  if (rc == CURLE_PEER_FAILED_VERIFICATION) {
    return "the mail server's certificate is not trusted or does not name "
           "its host (see IDENTITY_SMTP_CA_FILE)";
  }
  return curl_easy_strerror(rc);
}

}  // namespace

absl::StatusOr<SmtpEndpoint> ParseSmtpUrl(absl::string_view url) {
  SmtpEndpoint e;
  const size_t query = url.find('?');
  e.url = std::string(url.substr(0, query));
  const absl::string_view params =
      query == absl::string_view::npos ? "" : url.substr(query + 1);
  if (absl::StartsWith(e.url, "smtps://")) {
    e.tls = SmtpTls::kImplicit;
    if (!params.empty()) {
      return absl::InvalidArgumentError(
          "smtps:// takes no parameters (it is always TLS); for a plain local "
          "relay use smtp://host:port?tls=none");
    }
  } else if (!absl::StartsWith(e.url, "smtp://")) {
    return absl::InvalidArgumentError("must start with smtp:// or smtps://");
  } else if (params == "tls=none") {
    e.tls = SmtpTls::kNone;
  } else if (!params.empty() && params != "tls=starttls") {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown parameter '", params.substr(0, 64),
        "': smtp:// accepts only ?tls=starttls (the default) or ?tls=none"));
  }
  if (e.url.size() <= std::string("smtps://").size() ||
      absl::StrContains(e.url, '@')) {
    return absl::InvalidArgumentError(
        "must name a host, and no credentials (use IDENTITY_SMTP_USERNAME "
        "and IDENTITY_SMTP_PASSWORD)");
  }
  return e;
}

absl::Status SmtpMailer::Send(const MailMessage& m) {
  if (!endpoint_.ok()) return endpoint_.status();
  Payload payload;
  payload.data = absl::StrCat(
      "Date: ",
      absl::FormatTime("%a, %d %b %Y %H:%M:%S +0000", absl::Now(),
                       absl::UTCTimeZone()),
      "\r\nTo: <", OneLine(m.to), ">\r\nFrom: <", OneLine(options_.from),
      ">\r\nMessage-ID: <", crypto::Base64UrlEncode(crypto::RandomBytes(12)),
      "@", Domain(options_.from), ">\r\nSubject: ", OneLine(m.subject),
      "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
      "Content-Transfer-Encoding: 8bit\r\n\r\n",
      absl::StrReplaceAll(m.body, {{"\r\n", "\n"}, {"\n", "\r\n"}}), "\r\n");

  CURL* curl = curl_easy_init();
  if (curl == nullptr) return absl::InternalError("cannot start a mail client");
  curl_slist* recipients = curl_slist_append(nullptr, OneLine(m.to).c_str());
  const std::string from = absl::StrCat("<", OneLine(options_.from), ">");
  curl_easy_setopt(curl, CURLOPT_URL, endpoint_->url.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, &ReadPayload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &payload);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(
      curl, CURLOPT_TIMEOUT_MS,
      static_cast<long>(absl::ToInt64Milliseconds(options_.timeout)));
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  // STARTTLS or nothing: without CURLUSESSL_ALL libcurl sends in clear
  // whatever the server offers. Certificate and host name are verified
  // (libcurl's default, never turned off here).
  if (endpoint_->tls != SmtpTls::kNone) {
    curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  }
  if (!options_.ca_file.empty()) {
    curl_easy_setopt(curl, CURLOPT_CAINFO, options_.ca_file.c_str());
  }
  if (!options_.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, options_.password.c_str());
  }
  const CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(recipients);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    // curl's text names the server and the failure, never the credentials.
    log::Warn("mail.send_failed", {{"error", Explain(rc, endpoint_->tls)}});
    return WithReason(
        absl::UnavailableError("the mail server did not accept the message"),
        reason::kMailUnavailable);
  }
  return absl::OkStatus();
}

}  // namespace identity
