#include "application/users/security_alerts.h"

#include "absl/strings/str_cat.h"
#include "common/log.h"

namespace identity {
namespace {

const char* Subject(SecurityEvent event) {
  switch (event) {
    case SecurityEvent::kPasswordChanged:
      return "Your password was changed";
    case SecurityEvent::kAccountLocked:
      return "Your account was locked";
    case SecurityEvent::kApiKeyCreated:
      return "A new API key was created for your account";
  }
  return "Security event on your account";
}

}  // namespace

void SecurityAlerts::Notify(const domain::User& user, SecurityEvent event,
                            const std::string& detail) {
  if (!user.security_alerts || user.email.empty() || !mailer_->Ready().ok()) {
    return;
  }
  MailMessage mail;
  mail.to = user.email;
  mail.subject = Subject(event);
  mail.body = absl::StrCat(
      Subject(event), " (", user.username, ").", detail.empty() ? "" : "\n",
      detail,
      "\n\nIf this was not you, contact your administrator right away.\n");
  absl::Status queued = sender_.Post([this, mail, id = user.id] {
    absl::Status sent = mailer_->Send(mail);
    if (!sent.ok()) log::Warn("alert.not_sent", {{"user_id", id}});
  });
  if (!queued.ok()) log::Warn("alert.dropped", {{"user_id", user.id}});
}

}  // namespace identity
