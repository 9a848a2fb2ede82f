#include "application/sessions/login_failures.h"

#include "absl/strings/str_cat.h"
#include "common/error_info.h"
#include "common/log.h"
#include "domain/audit.h"

namespace identity {

domain::AuditEntry LoginFailureAudit(const Caller& caller,
                                      absl::string_view username,
                                      const domain::User* user,
                                      absl::string_view reason) {
  return MakeAudit(caller, "auth.login_failed", "user", user ? user->id : "",
                   user ? user->organization_id : "",
                   {{"username", username.substr(0, 254)}, {"reason", reason}});
}

absl::Status RefuseWhileLocked(const domain::User& user) {
  if (!user.locked) return absl::OkStatus();
  return WithReason(
      absl::FailedPreconditionError(
          "the account is locked after too many wrong passwords or codes; wait "
          "for the lock to end or ask an administrator to unlock it"),
      reason::kAccountLocked);
}

absl::Status LoginFailures::Count(const Caller& caller,
                                  absl::string_view username,
                                  const domain::UserCredentials& creds,
                                  absl::string_view reason) {
  const domain::User& user = creds.user;
  domain::LockoutPolicySettings policy = creds.lockout;
  // A global admin is the way back in: a stranger typing its name may lock
  // it for a while, never until someone unlocks it.
  if (policy.lockout_seconds == 0 && PrincipalFor(user).global) {
    policy.lockout_seconds = kGlobalAdminLockoutSeconds;
  }
  absl::StatusOr<bool> locked = credentials_->RecordLoginFailure(
      user.id, policy, LoginFailureAudit(caller, username, &user, reason),
      MakeAudit(Caller{nullptr, caller.peer()}, "user.lock", "user", user.id,
                user.organization_id,
                {{"reason", "too many failed logins"},
                 {"lockout_seconds", absl::StrCat(policy.lockout_seconds)}}));
  if (!locked.ok()) {
    log::Warn("auth.failure_not_counted",
              {{"user_id", user.id}, {"error", locked.status().message()}});
    return WithReason(
        absl::UnavailableError(
            "the attempt could not be checked right now; try again later"),
        reason::kDatabaseUnavailable);
  }
  if (*locked) {
    log::Warn("auth.account_locked", {{"user_id", user.id}});
    alerts_->Notify(user, SecurityEvent::kAccountLocked,
                    "Too many failed logins.");
  }
  return absl::OkStatus();
}

}  // namespace identity
