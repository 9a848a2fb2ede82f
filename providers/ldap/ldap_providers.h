// Administration of an organization's LDAP provider: configure it (the bind
// password sealed, never returned), read it back, and test it step by step.
#ifndef IDENTITY_PROVIDERS_LDAP_LDAP_PROVIDERS_H_
#define IDENTITY_PROVIDERS_LDAP_LDAP_PROVIDERS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/secret_box.h"
#include "providers/ldap/ldap_directory.h"
#include "providers/ldap/ldap_fence.h"
#include "providers/ldap/ldap_pools.h"
#include "domain/principal.h"
#include "application/identity_providers/provider_settings.h"
#include "application/identity_providers/provider_test_step.h"
#include "application/organizations/role_catalog.h"
#include "storage/store.h"

namespace identity::ldap {

// What ConfigureLdapProvider takes: the stored fields and the plain bind
// password (empty on an update: keep the stored one).
struct LdapSettings {
  domain::LdapProviderConfig config;
  std::string bind_password;
};

using TestStep = ProviderTestStep;

class LdapProviders {
 public:
  // `runtime_dir` is a private directory where CA certificates are written
  // for libldap, which reads them from files.
  LdapProviders(storage::Store* store, const SecretBox* box,
                RoleCatalog* catalog, std::string runtime_dir)
      : store_(store), box_(box), catalog_(catalog), check_("ldap", catalog),
        runtime_dir_(std::move(runtime_dir)) {}

  absl::StatusOr<domain::LdapProviderConfig> Configure(const Caller& caller,
                                                        LdapSettings settings);
  absl::StatusOr<domain::LdapProviderConfig> Get(
      const Caller& caller, absl::string_view organization_id) const;
  // Connects and binds as the service account; with a username, searches
  // it; with a password too, binds as it.
  absl::StatusOr<std::vector<TestStep>> Test(const Caller& caller,
                                             absl::string_view organization_id,
                                             absl::string_view username,
                                             absl::string_view password) const;

  // The directory client for a stored configuration (unseals the password).
  absl::StatusOr<DirectoryOptions> OptionsFor(
      const domain::LdapProviderConfig& config) const;
  // The directory of a stored configuration on this replica's pool for it.
  absl::StatusOr<Directory> PooledDirectory(
      const domain::LdapProviderConfig& config) const;
  // This replica's pool figures for the organization's provider; nullopt
  // before its first use here.
  std::optional<PoolFigures> Figures(const std::string& organization_id) const {
    return pools_.Figures(organization_id);
  }
  std::map<std::string, PoolFigures> AllFigures() const {
    return pools_.AllFigures();
  }
  // The fences logins pass through (ldap_fence.h); null: none.
  void set_fences(LdapFences* fences) { fences_ = fences; }
  LdapFences* fences() const { return fences_; }

 private:
  absl::Status Validate(const Caller& caller,
                        const domain::LdapProviderConfig& c);
  // One attempt of Configure: ABORTED when the settings changed meanwhile.
  absl::StatusOr<domain::LdapProviderConfig> Write(
      const Caller& caller, const LdapSettings& settings);

  storage::Store* store_;
  const SecretBox* box_;
  RoleCatalog* catalog_;
  const ProviderSettingsChecker check_;
  const std::string runtime_dir_;
  mutable DirectoryPools pools_;
  LdapFences* fences_ = nullptr;
};

}  // namespace identity::ldap

#endif  // IDENTITY_PROVIDERS_LDAP_LDAP_PROVIDERS_H_
