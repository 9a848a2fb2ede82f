// The LDAP password provider: logs a user in against its organization's
// directory and describes it as the directory does (local username,
// profile, stable identifier, roles mapped from its groups).
#ifndef IDENTITY_PROVIDERS_LDAP_LDAP_LOGIN_H_
#define IDENTITY_PROVIDERS_LDAP_LDAP_LOGIN_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "application/sessions/credential_cache.h"
#include "application/identity_providers/identity_provider.h"
#include "providers/ldap/ldap_directory.h"
#include "providers/ldap/ldap_providers.h"
#include "storage/store.h"

namespace identity::ldap {

struct DirectoryLogin {
  LoginResult result;
  domain::ExternalUser user;  // for kAuthenticated and kRefused
  AccountState state = AccountState::kActive;  // for kRefused
};

class LdapLogin : public PasswordProvider {
 public:
  // `cache` keeps the providers' settings between logins; may be null.
  LdapLogin(storage::Store* store, const LdapProviders* providers,
            CredentialCache* cache)
      : store_(store), providers_(providers), cache_(cache) {}

  absl::string_view name() const override { return "ldap"; }
  bool ForwardsGuesses() const override { return true; }
  bool ProvisionsAtLogin() const override { return true; }
  // A known user's entry is found by the stable identifier (or DN) stored
  // at its provisioning, never by the name the caller typed; a name not
  // known here is searched for.
  absl::StatusOr<PasswordVerdict> CheckPassword(
      const PasswordAttempt& attempt) override;

  // A login by the name the caller typed (a user not known here yet).
  // NOT_FOUND when the organization has no LDAP provider; UNAVAILABLE when
  // its directory cannot be reached.
  absl::StatusOr<DirectoryLogin> Login(const std::string& organization_id,
                                       absl::string_view username,
                                       absl::string_view password);
  // A login of a known user, whose entry is found by what was stored at its
  // provisioning, never by what the caller typed. Same errors.
  absl::StatusOr<DirectoryLogin> LoginKnown(const domain::User& user,
                                            absl::string_view password);

 private:
  absl::StatusOr<DirectoryLogin> Run(
      const std::string& organization_id,
      const std::function<absl::StatusOr<LoginOutcome>(const Directory&)>& login);

  storage::Store* store_;
  const LdapProviders* providers_;
  CredentialCache* cache_;
};

// The primary role of the first mapping (in configured order) whose group
// the user is in, else the default role; add-on roles of every match.
void MapRoles(const domain::LdapProviderConfig& config,
              const std::vector<std::string>& groups,
              domain::ExternalUser* user);

// The local user an entry describes (username empty when the entry lacks
// username_attribute), with its stable id read from `id_attribute` and its
// DN.
domain::ExternalUser DescribeUser(const domain::LdapProviderConfig& config,
                                   const Entry& entry,
                                   const std::vector<std::string>& groups,
                                   const std::string& id_attribute);

}  // namespace identity::ldap

#endif  // IDENTITY_PROVIDERS_LDAP_LDAP_LOGIN_H_
