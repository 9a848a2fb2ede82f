// What a directory says about an account beyond its profile: the stable
// identifier that links it to a local user, and whether the account may log
// in (Active Directory's userAccountControl, accountExpires, lockoutTime and
// bind diagnostics).
#ifndef IDENTITY_PROVIDERS_LDAP_LDAP_ACCOUNT_H_
#define IDENTITY_PROVIDERS_LDAP_LDAP_ACCOUNT_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "providers/ldap/ldap_entry.h"

namespace identity::ldap {

enum class AccountState {
  kActive,
  kDisabled,                // ACCOUNTDISABLE, data 533, ppolicy lock
  kExpired,                 // accountExpires passed, data 701
  kLocked,                  // lockoutTime, data 775: ends by itself
  kPasswordChangeRequired,  // data 773 (pwdLastSet 0 on Windows)
};

// The audit log's reason for a refusal in `state` ("disabled_in_directory",
// "expired_in_directory", "locked_in_directory",
// "password_change_required_in_directory"; "" for kActive).
const char* RefusalReason(AccountState state);
// The same for people (TestIdentityProvider, sync reports).
const char* DescribeState(AccountState state);
// Whether the state is the directory's lasting word on the account (disabled,
// expired): only then is the local user disabled. A lockout ends by itself
// and a pending password change is the user's to make; disabling for them
// would let anyone who types wrong passwords switch off the account here.
bool DisablesLocalUser(AccountState state);

// The stored form of an entry's stable identifier in `attribute` (empty when
// the entry lacks it): objectGUID in its registry form
// (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, as Active Directory shows it), other
// attributes as their text.
std::string StableId(const Entry& entry, const std::string& attribute);
// The filter component that finds the entry with the stored id, escaped
// (RFC 4515); empty when `stored` is not a valid id of that attribute.
std::string StableIdFilter(const std::string& attribute,
                           const std::string& stored);

// Active Directory's account state from an entry's attributes
// (userAccountControl ACCOUNTDISABLE, accountExpires). lockoutTime is left
// to the bind (the server knows the lockout duration): see LockedSince.
AccountState EntryState(const Entry& entry, absl::Time now);
// When lockoutTime says the account was locked; nullopt when it is not.
std::optional<absl::Time> LockedSince(const Entry& entry);
// The state an Active Directory bind refusal's diagnostic message names
// ("... data 533, ..."); nullopt for none of them.
std::optional<AccountState> BindDiagnosticState(absl::string_view diagnostic);

}  // namespace identity::ldap

#endif  // IDENTITY_PROVIDERS_LDAP_LDAP_ACCOUNT_H_
