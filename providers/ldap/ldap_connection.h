// One libldap connection: opened to the first URL that answers (ldap:// with
// optional StartTLS, or ldaps://), certificates always verified, and bound as
// the service account. Shared by the pool and the directory operations.
#ifndef IDENTITY_PROVIDERS_LDAP_LDAP_CONNECTION_H_
#define IDENTITY_PROVIDERS_LDAP_LDAP_CONNECTION_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "providers/ldap/ldap_account.h"
#include "providers/ldap/ldap_directory_options.h"

typedef struct ldap LDAP;

namespace identity::ldap {

struct Unbind {
  void operator()(LDAP* ld) const;
};
using Handle = std::unique_ptr<LDAP, Unbind>;

// True for result codes that mean the server could not be reached or went
// away (as opposed to a refusal).
bool IsConnectionFailure(int rc);

// A simple bind; returns the LDAP result code.
int SimpleBind(LDAP* ld, const std::string& dn, absl::string_view password);

enum class UserBindResult {
  kBound,
  kWrongPassword,
  // The directory refused the account itself, in `UserBind::state`: told by
  // a password policy response (OpenLDAP ppolicy with ppolicy_use_lockout:
  // disabled) or by Active Directory's diagnostic codes (data 533 disabled,
  // 701 expired, 773 must change password, 775 locked out).
  kRefused,
};

struct UserBind {
  UserBindResult result;
  AccountState state = AccountState::kActive;  // for kRefused
};

// Binds as a user, asking for the password policy response control.
// UNAVAILABLE when the directory went away; other refusals count as a wrong
// password.
absl::StatusOr<UserBind> BindAsUser(LDAP* ld, const std::string& dn,
                                    absl::string_view password,
                                    absl::Duration timeout);

// UNAVAILABLE when no URL answers within the timeouts; FAILED_PRECONDITION
// when the service account's bind is refused (saying so when the server
// demands TLS for simple binds, as Active Directory does); INVALID_ARGUMENT for a URL
// libldap cannot parse.
absl::StatusOr<Handle> Connect(const DirectoryOptions& options);

}  // namespace identity::ldap

#endif  // IDENTITY_PROVIDERS_LDAP_LDAP_CONNECTION_H_
