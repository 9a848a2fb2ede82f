// Counting wrong secrets (passwords, second-factor codes) toward an
// organization's lockout policy, the same way wherever one is typed.
#ifndef IDENTITY_APPLICATION_SESSIONS_LOGIN_FAILURES_H_
#define IDENTITY_APPLICATION_SESSIONS_LOGIN_FAILURES_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "domain/principal.h"
#include "application/users/security_alerts.h"
#include "storage/ports/credentials.h"

namespace identity {

// How long an account holding a global role stays locked when its
// organization's policy says "until an administrator unlocks it".
inline constexpr int64_t kGlobalAdminLockoutSeconds = 900;

class LoginFailures {
 public:
  LoginFailures(storage::Credentials* credentials, SecurityAlerts* alerts)
      : credentials_(credentials), alerts_(alerts) {}

  // Counts one wrong secret for `creds.user` with its audit event (and the
  // lock, when this one reaches the threshold). OK when counted; UNAVAILABLE
  // when the count could not be written: the caller must then refuse, so a
  // failure that is not counted never becomes a free guess.
  absl::Status Count(const Caller& caller, absl::string_view username,
                     const domain::UserCredentials& creds,
                     absl::string_view reason);

 private:
  storage::Credentials* credentials_;
  SecurityAlerts* alerts_;
};

// FAILED_PRECONDITION for a locked account at a call that checks a secret
// outside the login (a current password, a second-factor code): while the
// lock lasts, no more guesses there either; OK otherwise.
absl::Status RefuseWhileLocked(const domain::User& user);

// The audit entry of a refused login; `reason` is for administrators, never
// the caller.
domain::AuditEntry LoginFailureAudit(const Caller& caller,
                                      absl::string_view username,
                                      const domain::User* user,
                                      absl::string_view reason);

}  // namespace identity

#endif  // IDENTITY_APPLICATION_SESSIONS_LOGIN_FAILURES_H_
