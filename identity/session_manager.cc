#include "identity/session_manager.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/crypto.h"
#include "common/error_info.h"
#include "common/log.h"
#include "identity/audit.h"
#include "identity/authorizer.h"
#include "identity/credential_format.h"
#include "identity/login_failures.h"
#include "identity/roles.h"
#include "identity/rpc_names.h"
#include "identity/scope.h"
#include "identity/validation.h"

namespace identity {
namespace {

absl::Status InvalidLogin() {
  return WithReason(absl::UnauthenticatedError("invalid username or password"),
                    reason::kLoginFailed);
}

absl::Status InvalidToken() {
  return WithReason(absl::UnauthenticatedError("invalid or expired token"),
                    reason::kCredentialInvalid);
}

}  // namespace

absl::Status SessionManager::Refuse(const Caller& caller,
                                    absl::string_view username,
                                    const storage::User* user,
                                    absl::string_view reason) {
  absl::Status recorded =
      store_->RecordAudit(LoginFailureAudit(caller, username, user, reason));
  if (!recorded.ok()) {
    log::Warn("audit.write_failed", {{"action", "auth.login_failed"}});
  }
  return InvalidLogin();
}

absl::StatusOr<LoginResult> SessionManager::StartSession(
    const Caller& caller, const storage::UserCredentials& creds,
    absl::string_view provider) {
  absl::StatusOr<LoginResult> result =
      Finish(caller, creds.user.username, creds, "", provider);
  if (logins_ != nullptr) {
    logins_->Inc({std::string(provider), result.ok() ? "success" : "refused"});
  }
  return result;
}

absl::Status SessionManager::RefuseSso(const Caller& caller,
                                       absl::string_view username,
                                       const storage::User* user,
                                       absl::string_view provider,
                                       absl::string_view reason) {
  Refuse(caller, username, user, reason).IgnoreError();
  if (logins_ != nullptr) logins_->Inc({std::string(provider), "refused"});
  return WithReason(
      absl::UnauthenticatedError(absl::StrCat(provider, " login refused")),
      reason::kLoginFailed, {{"provider", provider}});
}

absl::StatusOr<LoginResult> SessionManager::Login(
    absl::string_view username, absl::string_view password,
    absl::string_view totp_code, absl::string_view organization_hint,
    const Caller& caller) {
  std::string provider = "internal";
  absl::StatusOr<LoginResult> result =
      Judge(username, password, totp_code, organization_hint, caller, &provider);
  if (logins_ != nullptr) {
    const absl::StatusCode code = result.status().code();
    const char* outcome = result.ok()                                ? "success"
                          : code == absl::StatusCode::kUnauthenticated ? "refused"
                          : code == absl::StatusCode::kUnavailable     ? "unavailable"
                          : code == absl::StatusCode::kInvalidArgument ? "invalid"
                                                                       : "error";
    logins_->Inc({provider, outcome});
  }
  return result;
}

absl::StatusOr<LoginResult> SessionManager::Judge(
    absl::string_view username, absl::string_view password,
    absl::string_view totp_code, absl::string_view organization_hint,
    const Caller& caller, std::string* judged_by) {
  if (username.empty()) {
    return absl::InvalidArgumentError("username: required");
  }
  if (password.empty()) {
    return absl::InvalidArgumentError("password: required");
  }
  if (username.size() > 254 || password.size() > 1024) return InvalidLogin();

  absl::StatusOr<storage::UserCredentials> creds =
      store_->GetCredentialsByUsername(username);
  if (creds.ok() && creds->user.origin == storage::Origin::kLdap) {
    *judged_by = "ldap";
    return LoginWithDirectory(caller, username, password, totp_code,
                              creds->user.organization_id, &*creds);
  }
  if (absl::IsNotFound(creds.status())) {
    // Not known here yet: maybe a directory user's first login.
    absl::StatusOr<std::string> org =
        DirectoryOrganization(organization_hint, username);
    if (!org.ok()) return org.status();
    if (!org->empty()) {
      *judged_by = "ldap";
      return LoginWithDirectory(caller, username, password, totp_code, *org,
                                nullptr);
    }
    absl::Status s = hasher_->VerifyDummy(password);
    if (!s.ok()) return s;
    return Refuse(caller, username, nullptr, "unknown_user");
  }
  if (!creds.ok()) return creds.status();

  PasswordAuthenticator* provider = providers_->For(creds->user.origin);
  if (provider == nullptr) {
    absl::Status s = hasher_->VerifyDummy(password);
    if (!s.ok()) return s;
    return Refuse(caller, username, &creds->user,
                  absl::StrCat("no_provider_for_",
                               storage::OriginName(creds->user.origin)));
  }
  // The password is checked even for a disabled or locked user, so that the
  // answer and its timing are the same as for a wrong password.
  absl::StatusOr<Verdict> verdict = provider->Authenticate(*creds, password);
  if (!verdict.ok()) return verdict.status();
  if (*verdict == Verdict::kRejected) {
    return CountFailure(caller, username, *creds, "wrong_password");
  }
  return Finish(caller, username, *creds, totp_code, provider->name());
}

absl::StatusOr<LoginResult> SessionManager::Finish(
    const Caller& caller, absl::string_view username,
    const storage::UserCredentials& creds, absl::string_view totp_code,
    absl::string_view provider) {
  const storage::User& user = creds.user;
  if (!user.enabled) return Refuse(caller, username, &user, "disabled");
  if (user.locked) return Refuse(caller, username, &user, "locked");
  if (user.pending) return Refuse(caller, username, &user, "pending");
  if (user.totp_enabled) {
    if (totp_code.empty()) {
      return WithReason(
          absl::UnauthenticatedError(
              "totp_code: required for this account (a code from the "
              "authenticator app, or a recovery code)"),
          reason::kTotpRequired, {{"field", "totp_code"}});
    }
    absl::StatusOr<bool> second = totp_->Verify(user, totp_code);
    if (!second.ok()) return second.status();
    if (!*second) {
      absl::Status counted = CountFailure(caller, username, creds, "wrong_totp");
      if (absl::IsUnavailable(counted)) return counted;  // fail closed
      return WithReason(
          absl::UnauthenticatedError("totp_code: invalid or already used"),
          reason::kTotpInvalid, {{"field", "totp_code"}});
    }
  }

  LoginResult result;
  result.token = absl::StrCat(
      kTokenPrefix, crypto::Base64UrlEncode(crypto::RandomBytes(kTokenBytes)));
  result.user = user;
  const storage::SessionPolicySettings& policy = creds.session;
  const absl::Duration lifetime =
      policy.absolute_lifetime_seconds > 0
          ? absl::Seconds(policy.absolute_lifetime_seconds)
          : options_.lifetime;
  storage::NewSession session{user.id, crypto::Sha256(result.token),
                              absl::Now() + lifetime, caller.peer,
                              policy.max_concurrent_sessions};
  Caller as_user = caller;
  Principal self = PrincipalFor(user);
  as_user.principal = &self;
  absl::StatusOr<storage::Session> created = store_->CreateSession(
      session, MakeAudit(as_user, "session.create", "session", "",
                         user.organization_id, {{"provider", provider}}));
  // Locked by a concurrent wrong guess while the password was checked.
  if (absl::IsFailedPrecondition(created.status())) {
    return Refuse(caller, username, &user, "locked");
  }
  if (!created.ok()) return created.status();
  result.session = *created;
  result.required_actions = RequiredActions(
      user,
      {creds.password_max_age_days, creds.terms_of_use_version,
       creds.require_totp},
      absl::Now());
  return result;
}

absl::Status SessionManager::CountFailure(
    const Caller& caller, absl::string_view username,
    const storage::UserCredentials& creds, absl::string_view reason) {
  absl::Status counted = failures_->Count(caller, username, creds, reason);
  if (!counted.ok()) return counted;  // fail closed
  return InvalidLogin();
}

absl::StatusOr<Principal> SessionManager::Validate(absl::string_view token) {
  if (!IsSessionTokenFormat(token)) return InvalidToken();
  const std::string digest = crypto::Sha256(token);
  auto load = [&] { return store_->GetSessionByDigest(digest); };
  absl::StatusOr<Principal> p = JudgeRow(
      [&](bool fresh, bool* cached) {
        return cache_ ? cache_->Session(digest, fresh, load, cached) : load();
      },
      [&](const storage::SessionWithUser& found) { return Admit(found, digest); });
  if (absl::IsNotFound(p.status())) return InvalidToken();
  return p;
}

absl::StatusOr<Principal> SessionManager::Admit(
    const storage::SessionWithUser& found, const std::string& digest) {
  const absl::Time now = absl::Now();
  // A lock guards the password against guessing; it does not end the
  // sessions the owner already has (anyone could lock an account by typing
  // its name).
  if (found.session.expires_at <= now || !found.user.enabled ||
      found.user.pending) {
    return InvalidToken();
  }
  const absl::Duration idle = now - found.session.last_seen_at;
  const int64_t idle_limit_s = found.policy.idle_timeout_seconds;
  if (idle_limit_s > 0 && idle > absl::Seconds(idle_limit_s)) {
    return InvalidToken();
  }
  // Activity is written at most every 30 s (sooner for short idle limits),
  // so validation does not write on every call.
  absl::Duration touch_every = absl::Seconds(30);
  if (idle_limit_s > 0) {
    touch_every = std::min(touch_every, absl::Seconds(idle_limit_s) / 4);
  }
  if (idle >= touch_every && store_->TouchSession(found.session.id).ok() &&
      cache_ != nullptr) {
    cache_->SessionTouched(digest, now);
  }
  Principal p = PrincipalFor(found.user);
  p.session_id = found.session.id;
  p.expires_at = found.session.expires_at;
  p.required_actions = RequiredActions(
      found.user,
      {found.password_max_age_days, found.terms_of_use_version,
       found.require_totp},
      now);
  return p;
}

absl::Status SessionManager::Logout(const Caller& caller) {
  const Principal& p = *caller.principal;
  if (p.session_id.empty()) {
    return absl::FailedPreconditionError(
        "the credential in the authorization metadata is not a session");
  }
  return store_->DeleteSession(
      p.session_id, MakeAudit(caller, "session.delete", "session",
                              p.session_id, p.user.organization_id));
}

absl::StatusOr<std::vector<storage::Session>> SessionManager::List(
    const Caller& caller, absl::string_view user_id) {
  const Principal& p = *caller.principal;
  absl::StatusOr<storage::User> user = CallerOrUser(*store_, p, user_id);
  if (!user.ok()) return user.status();
  absl::Status allowed = Check(rpc::kListSessions, p, TargetFor(*user));
  if (!allowed.ok()) return allowed;
  return store_->ListSessions(user->id);
}

absl::Status SessionManager::Revoke(const Caller& caller,
                                    absl::string_view session_id) {
  absl::Status valid = ValidateId("id", session_id);
  if (!valid.ok()) return valid;
  absl::StatusOr<storage::Session> session = store_->GetSession(session_id);
  if (!session.ok()) return session.status();
  absl::StatusOr<storage::User> owner = store_->GetUser(session->user_id);
  if (!owner.ok()) return owner.status();
  absl::Status allowed =
      Check(rpc::kRevokeSession, *caller.principal,
            TargetFor(*owner));
  if (!allowed.ok()) return allowed;
  return store_->DeleteSession(
      session->id, MakeAudit(caller, "session.revoke", "session", session->id,
                             owner->organization_id, {{"user_id", owner->id}}));
}

}  // namespace identity
