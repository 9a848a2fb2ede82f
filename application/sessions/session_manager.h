// Login, token validation and logout.
#ifndef IDENTITY_APPLICATION_SESSIONS_SESSION_MANAGER_H_
#define IDENTITY_APPLICATION_SESSIONS_SESSION_MANAGER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "application/users/password_hasher.h"
#include "domain/principal.h"
#include "application/identity_providers/provider_registry.h"
#include "common/prometheus.h"
#include "application/sessions/credential_cache.h"
#include "application/sessions/login_failures.h"
#include "application/identity_providers/provisioner.h"
#include "application/sessions/totp.h"
#include "storage/store.h"

namespace identity {

struct SessionOptions {
  absl::Duration lifetime = absl::Hours(12);
};

struct LoginResult {
  std::string token;  // shown to the caller once, never stored
  domain::Session session;
  domain::User user;
  std::vector<std::string> required_actions;
};

// Who judges a login, decided from the typed name alone (a read or two, no
// password work), so that logins another system judges can run apart from
// those judged here.
struct LoginRoute {
  std::optional<domain::UserCredentials> known;  // the local user, if any
  // The known user's organization, or the one named for a new name; empty
  // when none is.
  std::string organization_id;
  // The providers to ask, in order: the known user's origin's, or those
  // that provision at login. Empty: nobody can judge (refused alike).
  std::vector<PasswordProvider*> providers;
  // True when a provider that passes guesses on (a directory) judges.
  bool by_directory() const {
    for (const PasswordProvider* p : providers) {
      if (p->ForwardsGuesses()) return true;
    }
    return false;
  }
};

class SessionManager {
 public:
  struct Deps {
    storage::Store* store;
    PasswordHasher* hasher;
    const ProviderRegistry* providers;
    TotpManager* totp;
    LoginFailures* failures;
    Provisioner* provisioner;
    CredentialCache* cache;  // may be null: every validation reads the store
    // {provider, outcome}; may be null.
    prometheus::CounterFamily* logins = nullptr;
  };
  SessionManager(SessionOptions options, Deps deps)
      : options_(options), store_(deps.store), hasher_(deps.hasher),
        providers_(deps.providers), totp_(deps.totp),
        failures_(deps.failures), provisioner_(deps.provisioner),
        cache_(deps.cache), logins_(deps.logins) {}

  // UNAUTHENTICATED "invalid username or password" for an unknown user, a
  // wrong password and a disabled or locked user alike, after the same work.
  // Wrong passwords count toward the organization's lockout policy, whatever
  // the user's origin.
  // A user with a confirmed TOTP also needs `totp_code` (a current or a
  // recovery code): without one the answer is UNAUTHENTICATED "totp_code:
  // required" (only after a correct password); a wrong one counts toward
  // the lockout like a wrong password.
  //
  // A username not known here goes to the providers that provision at
  // login (LDAP) of the organization named by `organization_hint` (id or
  // name) or, without one, of the organization whose login_domains hold the
  // username's email domain; the first successful login provisions the
  // local user, later ones refresh its profile and roles from the provider.
  //
  // A login is two steps (the login lanes queue between them): Route, then
  // Login with its outcome (a failed route is counted and answered as the
  // login's).
  absl::StatusOr<LoginRoute> Route(absl::string_view username,
                                   absl::string_view password,
                                   absl::string_view organization_hint);
  absl::StatusOr<LoginResult> Login(const absl::StatusOr<LoginRoute>& route,
                                    absl::string_view username,
                                    absl::string_view password,
                                    absl::string_view totp_code,
                                    const Caller& caller);

  // UNAUTHENTICATED for anything but a live session of an enabled user.
  absl::StatusOr<Principal> Validate(absl::string_view token);
  // Validate's answer when memory gives it (a malformed token, or a live
  // session in the cache); nullopt when it takes a database read: the row
  // is not cached, a refusal judged on a cached row must be confirmed by a
  // fresh read, or the session's activity write (every 30 s) is due.
  // The principal is built once per cached row and shared.
  std::optional<absl::StatusOr<SharedPrincipal>> ValidateFromMemory(
      absl::string_view token);

  absl::Status Logout(const Caller& caller);

  // Single sign-on: the answer of the redirect provider of `origin`
  // (SAML), its identity provisioned or refreshed, then a session under the
  // same rules as a login (disabled, locked, pending, TOTP). UNAUTHENTICATED
  // "<provider> login refused" for a refused answer, whose reason is in the
  // audit log.
  // The redirect to the provider of `origin` for an organization (id or
  // name); NOT_FOUND when it has none.
  absl::StatusOr<RedirectStart> BeginRedirect(domain::Origin origin,
                                              absl::string_view organization,
                                              absl::string_view return_url);
  absl::StatusOr<LoginResult> CompleteRedirect(const Caller& caller,
                                               domain::Origin origin,
                                               const std::string& response,
                                               const std::string& relay_state);

  // A user's live sessions (empty `user_id`: the caller's).
  absl::StatusOr<std::vector<domain::Session>> List(const Caller& caller,
                                                     absl::string_view user_id);
  absl::Status Revoke(const Caller& caller, absl::string_view session_id);

 private:
  // The principal of a live session row at `now`; UNAUTHENTICATED
  // otherwise. Writes the session's activity when it is due, and keeps the
  // entry the cache holds under `cache_key` in step.
  absl::StatusOr<Principal> Admit(const domain::SessionWithUser& found,
                                  const std::string& cache_key, absl::Time now);
  // Whether `found` is a live session of an enabled user at `now`.
  static bool Live(const domain::SessionWithUser& found, absl::Time now);
  // The principal of a live session row, with the steps pending at `now`.
  static Principal PrincipalOf(const domain::SessionWithUser& found,
                               absl::Time now);
  // Whether validating `found` at `now` writes its activity.
  static bool TouchDue(const domain::SessionWithUser& found, absl::Time now);
  absl::Status Refuse(const Caller& caller, absl::string_view username,
                      const domain::User* user, absl::string_view reason);
  // The organization whose providers may vouch for a not-yet-known
  // username; empty when none is named.
  absl::StatusOr<std::string> ProvisioningOrganization(
      absl::string_view hint, absl::string_view username);
  // Login without the counting: the password check by the route's
  // providers, then the provider's identity provisioned or refreshed
  // (provider_login.cc); `*judged_by` names the provider that judged (left
  // as it is when none did and the dummy hash answered).
  absl::StatusOr<LoginResult> LoginWithProvider(const Caller& caller,
                                                const LoginRoute& route,
                                                absl::string_view username,
                                                absl::string_view password,
                                                absl::string_view totp_code,
                                                std::string* judged_by);
  // What a provider's verdict does to the account, then the session.
  absl::StatusOr<LoginResult> Conclude(const Caller& caller,
                                       const PasswordAttempt& attempt,
                                       const PasswordVerdict& verdict,
                                       absl::string_view totp_code,
                                       absl::string_view provider);
  // The local user of a provider's accepted identity, provisioned or
  // refreshed; FAILED_PRECONDITION with the reason when its name is another
  // account's.
  absl::StatusOr<domain::UserCredentials> Provision(
      const Caller& caller, const ExternalIdentity& seen,
      const domain::UserCredentials* known);
  // A refused single sign-on: audit, metrics, the caller's UNAUTHENTICATED.
  absl::Status RefuseSso(const Caller& caller, absl::string_view username,
                         const domain::User* user, absl::string_view provider,
                         absl::string_view reason);
  // What every login does once the credentials are right: account state,
  // second factor, the session.
  absl::StatusOr<LoginResult> Finish(const Caller& caller,
                                     absl::string_view username,
                                     const domain::UserCredentials& creds,
                                     absl::string_view totp_code,
                                     absl::string_view provider);
  // A wrong password or TOTP code: counts it toward the lockout policy and
  // answers UNAUTHENTICATED, or UNAVAILABLE when it could not be counted.
  absl::Status CountFailure(const Caller& caller, absl::string_view username,
                            const domain::UserCredentials& creds,
                            absl::string_view reason);

  const SessionOptions options_;
  storage::Store* store_;
  PasswordHasher* hasher_;
  const ProviderRegistry* providers_;
  TotpManager* totp_;
  LoginFailures* failures_;
  Provisioner* provisioner_;
  CredentialCache* cache_;
  prometheus::CounterFamily* logins_;
};

}  // namespace identity

#endif  // IDENTITY_APPLICATION_SESSIONS_SESSION_MANAGER_H_
