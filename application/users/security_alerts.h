// Mails users who asked for it (User.security_alerts) about security events
// on their account, in the background: a slow or failing mail server never
// slows or fails the change that triggered the alert.
#ifndef IDENTITY_APPLICATION_USERS_SECURITY_ALERTS_H_
#define IDENTITY_APPLICATION_USERS_SECURITY_ALERTS_H_

#include <string>

#include "common/bounded_executor.h"
#include "application/mailer.h"
#include "domain/records.h"

namespace identity {

enum class SecurityEvent { kPasswordChanged, kAccountLocked, kApiKeyCreated };

class SecurityAlerts {
 public:
  // `mailer` must outlive this; one background thread sends.
  explicit SecurityAlerts(Mailer* mailer) : mailer_(mailer), sender_(1, 1000) {}

  // Does nothing unless `user` wants alerts and has an email address.
  void Notify(const domain::User& user, SecurityEvent event,
              const std::string& detail = "");

 private:
  Mailer* mailer_;
  BoundedExecutor sender_;
};

}  // namespace identity

#endif  // IDENTITY_APPLICATION_USERS_SECURITY_ALERTS_H_
