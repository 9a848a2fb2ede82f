// Login, token validation and logout.
#ifndef IDENTITY_IDENTITY_SESSION_MANAGER_H_
#define IDENTITY_IDENTITY_SESSION_MANAGER_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "identity/password_hasher.h"
#include "identity/principal.h"
#include "identity/provider_registry.h"
#include "common/prometheus.h"
#include "identity/credential_cache.h"
#include "identity/ldap/ldap_login.h"
#include "identity/login_failures.h"
#include "identity/totp.h"
#include "storage/store.h"

namespace identity {

struct SessionOptions {
  absl::Duration lifetime = absl::Hours(12);
};

struct LoginResult {
  std::string token;  // shown to the caller once, never stored
  storage::Session session;
  storage::User user;
  std::vector<std::string> required_actions;
};

// Who judges a login, decided from the typed name alone (a read or two,
// no password work), so that logins a directory judges can run apart from
// those judged here.
struct LoginRoute {
  std::optional<storage::UserCredentials> known;  // the local user, if any
  // Non-empty: the organization whose LDAP directory judges the login.
  std::string directory_organization;
  bool by_directory() const { return !directory_organization.empty(); }
};

class SessionManager {
 public:
  struct Deps {
    storage::Store* store;
    PasswordHasher* hasher;
    const ProviderRegistry* providers;
    TotpManager* totp;
    LoginFailures* failures;
    ldap::LdapLogin* ldap;
    CredentialCache* cache;  // may be null: every validation reads the store
    // {provider, outcome}; may be null.
    prometheus::CounterFamily* logins = nullptr;
  };
  SessionManager(SessionOptions options, Deps deps)
      : options_(options), store_(deps.store), hasher_(deps.hasher),
        providers_(deps.providers), totp_(deps.totp),
        failures_(deps.failures),
        ldap_(deps.ldap), cache_(deps.cache), logins_(deps.logins) {}

  // UNAUTHENTICATED "invalid username or password" for an unknown user, a
  // wrong password and a disabled or locked user alike, after the same work.
  // Wrong passwords count toward the organization's lockout policy, whatever
  // the user's origin.
  // A user with a confirmed TOTP also needs `totp_code` (a current or a
  // recovery code): without one the answer is UNAUTHENTICATED "totp_code:
  // required" (only after a correct password); a wrong one counts toward
  // the lockout like a wrong password.
  //
  // A username not known here goes to the LDAP provider of the organization
  // named by `organization_hint` (id or name) or, without one, of the
  // organization whose login_domains hold the username's email domain; the
  // first successful login provisions the local user, later ones refresh its
  // profile and roles from the directory.
  absl::StatusOr<LoginResult> Login(absl::string_view username,
                                    absl::string_view password,
                                    absl::string_view totp_code,
                                    absl::string_view organization_hint,
                                    const Caller& caller);
  // The same in two steps: Route, then Login with its outcome (a failed
  // route is counted and answered as the login's).
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
  // Whether Validate(token) answers without a read from the database (a
  // malformed token, or a session in the cache); a refusal judged on a
  // cached row, or a due activity write, may still touch the database.
  bool AnswersFromMemory(absl::string_view token) const;

  absl::Status Logout(const Caller& caller);

  // Single sign-on (SAML): a session for a user another provider vouched
  // for, under the same rules as a login (disabled, locked, pending, TOTP),
  // counted under `provider`.
  absl::StatusOr<LoginResult> StartSession(const Caller& caller,
                                           const storage::UserCredentials& creds,
                                           absl::string_view provider);
  // Records a refused single sign-on with its reason in the audit log and
  // returns the UNAUTHENTICATED the caller gets, counted under `provider`.
  absl::Status RefuseSso(const Caller& caller, absl::string_view username,
                         const storage::User* user, absl::string_view provider,
                         absl::string_view reason);

  // A user's live sessions (empty `user_id`: the caller's).
  absl::StatusOr<std::vector<storage::Session>> List(const Caller& caller,
                                                     absl::string_view user_id);
  absl::Status Revoke(const Caller& caller, absl::string_view session_id);

 private:
  // Login without the counting.
  absl::StatusOr<LoginResult> Judge(const LoginRoute& route,
                                    absl::string_view username,
                                    absl::string_view password,
                                    absl::string_view totp_code,
                                    const Caller& caller);
  // The principal of a live session row; UNAUTHENTICATED otherwise.
  absl::StatusOr<Principal> Admit(const storage::SessionWithUser& found,
                                  const std::string& digest);
  absl::Status Refuse(const Caller& caller, absl::string_view username,
                      const storage::User* user, absl::string_view reason);
  // The organization whose directory serves a not-yet-known username; empty
  // when none does.
  absl::StatusOr<std::string> DirectoryOrganization(absl::string_view hint,
                                                    absl::string_view username);
  // Search-then-bind against the organization's LDAP provider, then
  // provisioning or refresh of the local user; `known` is the local user if
  // there is one.
  absl::StatusOr<LoginResult> LoginWithDirectory(
      const Caller& caller, absl::string_view username,
      absl::string_view password, absl::string_view totp_code,
      const std::string& organization_id,
      const storage::UserCredentials* known);
  // What every login does once the credentials are right: account state,
  // second factor, the session.
  absl::StatusOr<LoginResult> Finish(const Caller& caller,
                                     absl::string_view username,
                                     const storage::UserCredentials& creds,
                                     absl::string_view totp_code,
                                     absl::string_view provider);
  // A wrong password or TOTP code: counts it toward the lockout policy and
  // answers UNAUTHENTICATED, or UNAVAILABLE when it could not be counted.
  absl::Status CountFailure(const Caller& caller, absl::string_view username,
                            const storage::UserCredentials& creds,
                            absl::string_view reason);

  const SessionOptions options_;
  storage::Store* store_;
  PasswordHasher* hasher_;
  const ProviderRegistry* providers_;
  TotpManager* totp_;
  LoginFailures* failures_;
  ldap::LdapLogin* ldap_;
  CredentialCache* cache_;
  prometheus::CounterFamily* logins_;
};

}  // namespace identity

#endif  // IDENTITY_IDENTITY_SESSION_MANAGER_H_
