#include "identity/session_manager.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/crypto.h"
#include "common/log.h"
#include "identity/audit.h"

namespace identity {
namespace {

constexpr absl::string_view kTokenPrefix = "idt_";
constexpr size_t kTokenBytes = 32;

absl::Status InvalidLogin() {
  return absl::UnauthenticatedError("invalid username or password");
}

absl::Status InvalidToken() {
  return absl::UnauthenticatedError("invalid or expired token");
}

}  // namespace

bool SessionManager::LooksLikeToken(absl::string_view token) {
  if (!absl::StartsWith(token, kTokenPrefix) || token.size() != 4 + 43) {
    return false;
  }
  std::optional<std::string> raw =
      crypto::Base64UrlDecode(token.substr(kTokenPrefix.size()));
  return raw.has_value() && raw->size() == kTokenBytes;
}

namespace {

storage::AuditEntry FailureAudit(const Caller& caller,
                                 absl::string_view username,
                                 const storage::User* user,
                                 absl::string_view reason) {
  // The reason is for administrators reading the audit log, never the caller.
  return MakeAudit(caller, "auth.login_failed", "user", user ? user->id : "",
                   user ? user->organization_id : "",
                   {{"username", username.substr(0, 254)}, {"reason", reason}});
}

}  // namespace

absl::Status SessionManager::Refuse(const Caller& caller,
                                    absl::string_view username,
                                    const storage::User* user,
                                    absl::string_view reason) {
  absl::Status recorded =
      store_->RecordAudit(FailureAudit(caller, username, user, reason));
  if (!recorded.ok()) {
    log::Warn("audit.write_failed", {{"action", "auth.login_failed"}});
  }
  return InvalidLogin();
}

absl::StatusOr<LoginResult> SessionManager::Login(absl::string_view username,
                                                  absl::string_view password,
                                                  const Caller& caller) {
  if (username.empty()) {
    return absl::InvalidArgumentError("username: required");
  }
  if (password.empty()) {
    return absl::InvalidArgumentError("password: required");
  }
  if (username.size() > 254 || password.size() > 1024) return InvalidLogin();

  absl::StatusOr<storage::UserCredentials> creds =
      store_->GetCredentialsByUsername(username);
  if (absl::IsNotFound(creds.status())) {
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
    return CountFailure(caller, username, *creds);
  }
  if (!creds->user.enabled) {
    return Refuse(caller, username, &creds->user, "disabled");
  }
  if (creds->user.locked) {
    return Refuse(caller, username, &creds->user, "locked");
  }

  LoginResult result;
  result.token = absl::StrCat(
      kTokenPrefix, crypto::Base64UrlEncode(crypto::RandomBytes(kTokenBytes)));
  result.user = creds->user;
  storage::NewSession session{creds->user.id, crypto::Sha256(result.token),
                              absl::Now() + options_.lifetime};
  Caller as_user = caller;
  Principal self = PrincipalFor(creds->user);
  as_user.principal = &self;
  absl::StatusOr<storage::Session> created = store_->CreateSession(
      session, MakeAudit(as_user, "session.create", "session", "",
                         creds->user.organization_id,
                         {{"provider", provider->name()}}));
  if (!created.ok()) return created.status();
  result.session = *created;
  return result;
}

absl::Status SessionManager::CountFailure(
    const Caller& caller, absl::string_view username,
    const storage::UserCredentials& creds) {
  const storage::User& user = creds.user;
  absl::StatusOr<bool> locked = store_->RecordLoginFailure(
      user.id, creds.lockout,
      FailureAudit(caller, username, &user, "wrong_password"),
      MakeAudit(Caller{nullptr, caller.peer}, "user.lock", "user", user.id,
                user.organization_id,
                {{"reason", "too many failed logins"},
                 {"lockout_seconds", absl::StrCat(creds.lockout.lockout_seconds)}}));
  if (!locked.ok()) {
    log::Warn("auth.failure_not_counted", {{"user_id", user.id}});
  } else if (*locked) {
    log::Warn("auth.account_locked", {{"user_id", user.id}});
  }
  return InvalidLogin();
}

absl::StatusOr<Principal> SessionManager::Validate(absl::string_view token) {
  if (!LooksLikeToken(token)) return InvalidToken();
  absl::StatusOr<storage::SessionWithUser> found =
      store_->GetSessionByDigest(crypto::Sha256(token));
  if (absl::IsNotFound(found.status())) return InvalidToken();
  if (!found.ok()) return found.status();
  if (found->session.expires_at <= absl::Now() || !found->user.enabled ||
      found->user.locked) {
    return InvalidToken();
  }
  Principal p = PrincipalFor(found->user);
  p.session_id = found->session.id;
  p.expires_at = found->session.expires_at;
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

}  // namespace identity
