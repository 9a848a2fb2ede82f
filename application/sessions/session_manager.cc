#include "application/sessions/session_manager.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/crypto.h"
#include "common/error_info.h"
#include "common/log.h"
#include "domain/audit.h"
#include "domain/authorizer.h"
#include "domain/credential_format.h"
#include "application/sessions/login_failures.h"
#include "domain/roles.h"
#include "domain/operations.h"
#include "application/scope.h"
#include "domain/validation.h"

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

// The steps a live session's user must take first, at `now`.
std::vector<std::string> PendingSteps(const domain::SessionWithUser& found,
                                      absl::Time now) {
  return RequiredActions(found.user,
                         {found.password_max_age_days,
                          found.terms_of_use_version, found.require_totp},
                         now);
}

}  // namespace

absl::Status SessionManager::Refuse(const Caller& caller,
                                    absl::string_view username,
                                    const domain::User* user,
                                    absl::string_view reason) {
  absl::Status recorded =
      store_->RecordAudit(LoginFailureAudit(caller, username, user, reason));
  if (!recorded.ok()) {
    log::Warn("audit.write_failed", {{"action", "auth.login_failed"}});
  }
  return InvalidLogin();
}

absl::Status SessionManager::RefuseSso(const Caller& caller,
                                       absl::string_view username,
                                       const domain::User* user,
                                       absl::string_view provider,
                                       absl::string_view reason) {
  Refuse(caller, username, user, reason).IgnoreError();
  if (logins_ != nullptr) logins_->Inc({std::string(provider), "refused"});
  return WithReason(
      absl::UnauthenticatedError(absl::StrCat(provider, " login refused")),
      reason::kLoginFailed, {{"provider", provider}});
}

absl::StatusOr<LoginResult> SessionManager::Login(
    const absl::StatusOr<LoginRoute>& route, absl::string_view username,
    absl::string_view password, absl::string_view totp_code,
    const Caller& caller) {
  std::string provider = "internal";
  absl::StatusOr<LoginResult> result =
      route.ok()
          ? LoginWithProvider(caller, *route, username, password, totp_code,
                              &provider)
          : absl::StatusOr<LoginResult>(route.status());
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

absl::StatusOr<LoginRoute> SessionManager::Route(
    absl::string_view username, absl::string_view password,
    absl::string_view organization_hint) {
  if (username.empty()) {
    return absl::InvalidArgumentError("username: required");
  }
  if (password.empty()) {
    return absl::InvalidArgumentError("password: required");
  }
  if (username.size() > 254 || password.size() > 1024) return InvalidLogin();

  LoginRoute route;
  absl::StatusOr<domain::UserCredentials> creds =
      store_->GetCredentialsByUsername(username);
  if (creds.ok()) {
    route.organization_id = creds->user.organization_id;
    if (PasswordProvider* p = providers_->PasswordFor(creds->user.origin)) {
      route.providers.push_back(p);
    }
    route.known = *std::move(creds);
    return route;
  }
  if (!absl::IsNotFound(creds.status())) return creds.status();
  // Not known here yet: maybe a provider's user logging in for the first
  // time, in the organization the caller named or whose login domain the
  // name carries.
  absl::StatusOr<std::string> org =
      ProvisioningOrganization(organization_hint, username);
  if (!org.ok()) return org.status();
  route.organization_id = *org;
  if (!org->empty()) route.providers = providers_->ProvisioningAtLogin();
  return route;
}

absl::StatusOr<LoginResult> SessionManager::Finish(
    const Caller& caller, absl::string_view username,
    const domain::UserCredentials& creds, absl::string_view totp_code,
    absl::string_view provider) {
  const domain::User& user = creds.user;
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
  const domain::SessionPolicySettings& policy = creds.session;
  const absl::Duration lifetime =
      policy.absolute_lifetime_seconds > 0
          ? absl::Seconds(policy.absolute_lifetime_seconds)
          : options_.lifetime;
  storage::NewSession session{user.id, crypto::Sha256(result.token),
                              absl::Now() + lifetime, caller.peer(),
                              policy.max_concurrent_sessions};
  Caller as_user = caller;
  Principal self = PrincipalFor(user);
  as_user.principal = &self;
  absl::StatusOr<domain::Session> created = store_->CreateSession(
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
    const domain::UserCredentials& creds, absl::string_view reason) {
  absl::Status counted = failures_->Count(caller, username, creds, reason);
  if (!counted.ok()) return counted;  // fail closed
  return InvalidLogin();
}

absl::StatusOr<Principal> SessionManager::Validate(absl::string_view token) {
  if (!IsSessionTokenFormat(token)) return InvalidToken();
  const std::string digest = crypto::Sha256(token);
  const std::string key = cache_ ? cache_->KeyOf(token) : "";
  auto load = [&] { return store_->GetSessionByDigest(digest); };
  absl::StatusOr<Principal> p = JudgeRow(
      [&](bool fresh, bool* cached) {
        return cache_ ? cache_->Session(key, fresh, load, cached) : load();
      },
      [&](const domain::SessionWithUser& found) {
        return Admit(found, key, absl::Now());
      });
  if (absl::IsNotFound(p.status())) return InvalidToken();
  return p;
}

std::optional<absl::StatusOr<SharedPrincipal>>
SessionManager::ValidateFromMemory(absl::string_view token) {
  if (!IsSessionTokenFormat(token)) return InvalidToken();
  if (cache_ == nullptr) return std::nullopt;
  const std::string key = cache_->KeyOf(token);
  CredentialCache::Held<domain::SessionWithUser> held =
      cache_->PeekSession(key);
  if (!held.row) return std::nullopt;
  const domain::SessionWithUser& found = *held.row;
  const absl::Time now = absl::Now();
  // The activity write, when due, waits for PostgreSQL: not on this thread.
  // A refusal on a remembered row is confirmed by a fresh read (JudgeRow).
  if (TouchDue(found, now) || !Live(found, now)) return std::nullopt;
  SharedPrincipal p = std::move(held.principal);
  // Pending steps depend on the time (a password ages past the policy):
  // judged on every call, the shared principal rebuilt when they differ.
  if (p == nullptr || p->required_actions != PendingSteps(found, now)) {
    p = std::make_shared<const Principal>(PrincipalOf(found, now));
    cache_->KeepPrincipal(key, held.row, p);
  }
  return p;
}

// Activity is written at most every 30 s (sooner for short idle limits),
// so validation does not write on every call.
bool SessionManager::TouchDue(const domain::SessionWithUser& found,
                              absl::Time now) {
  absl::Duration touch_every = absl::Seconds(30);
  const int64_t idle_limit_s = found.policy.idle_timeout_seconds;
  if (idle_limit_s > 0) {
    touch_every = std::min(touch_every, absl::Seconds(idle_limit_s) / 4);
  }
  return now - found.session.last_seen_at >= touch_every;
}

bool SessionManager::Live(const domain::SessionWithUser& found,
                          absl::Time now) {
  // A lock guards the password against guessing; it does not end the
  // sessions the owner already has (anyone could lock an account by typing
  // its name).
  if (found.session.expires_at <= now || !found.user.enabled ||
      found.user.pending) {
    return false;
  }
  const absl::Duration idle = now - found.session.last_seen_at;
  const int64_t idle_limit_s = found.policy.idle_timeout_seconds;
  return idle_limit_s <= 0 || idle <= absl::Seconds(idle_limit_s);
}

Principal SessionManager::PrincipalOf(const domain::SessionWithUser& found,
                                      absl::Time now) {
  Principal p = PrincipalFor(found.user);
  p.session_id = found.session.id;
  p.expires_at = found.session.expires_at;
  p.required_actions = PendingSteps(found, now);
  return p;
}

absl::StatusOr<Principal> SessionManager::Admit(
    const domain::SessionWithUser& found, const std::string& cache_key,
    absl::Time now) {
  if (!Live(found, now)) return InvalidToken();
  if (TouchDue(found, now) && store_->TouchSession(found.session.id).ok() &&
      cache_ != nullptr) {
    cache_->SessionTouched(cache_key, now);
  }
  return PrincipalOf(found, now);
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

absl::StatusOr<std::vector<domain::Session>> SessionManager::List(
    const Caller& caller, absl::string_view user_id) {
  const Principal& p = *caller.principal;
  absl::StatusOr<domain::User> user = CallerOrUser(*store_, p, user_id);
  if (!user.ok()) return user.status();
  absl::Status allowed = Check(op::kListSessions, p, TargetFor(*user));
  if (!allowed.ok()) return allowed;
  return store_->ListSessions(user->id);
}

absl::Status SessionManager::Revoke(const Caller& caller,
                                    absl::string_view session_id) {
  absl::Status valid = ValidateId("id", session_id);
  if (!valid.ok()) return valid;
  absl::StatusOr<domain::Session> session = store_->GetSession(session_id);
  if (!session.ok()) return session.status();
  absl::StatusOr<domain::User> owner = store_->GetUser(session->user_id);
  if (!owner.ok()) return owner.status();
  absl::Status allowed =
      Check(op::kRevokeSession, *caller.principal,
            TargetFor(*owner));
  if (!allowed.ok()) return allowed;
  return store_->DeleteSession(
      session->id, MakeAudit(caller, "session.revoke", "session", session->id,
                             owner->organization_id, {{"user_id", owner->id}}));
}

}  // namespace identity
