// Checks shared by the identity providers' settings (ldap.*, saml.*): text
// fields, and group -> role mappings the caller may hand out.
#ifndef IDENTITY_APPLICATION_IDENTITY_PROVIDERS_PROVIDER_SETTINGS_H_
#define IDENTITY_APPLICATION_IDENTITY_PROVIDERS_PROVIDER_SETTINGS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "domain/principal.h"
#include "application/organizations/role_catalog.h"
#include "domain/records.h"

namespace identity {

class ProviderSettingsChecker {
 public:
  // `prefix` names the settings message in errors: "ldap" or "saml".
  ProviderSettingsChecker(absl::string_view prefix, RoleCatalog* catalog)
      : prefix_(prefix), catalog_(catalog) {}

  // INVALID_ARGUMENT "<prefix>.<field>: <what>".
  absl::Status Invalid(absl::string_view field, absl::string_view what) const;
  // At most 1024 bytes, none of the separators the store uses.
  absl::Status Text(absl::string_view field, absl::string_view value,
                    bool required) const;
  // The default role and every mapping's roles must be grantable by the
  // caller in the organization.
  absl::Status Roles(
      const Principal& caller, const std::string& organization_id,
      const std::string& default_role,
      const std::vector<domain::GroupRoleMapping>& mappings) const;

 private:
  const std::string prefix_;
  RoleCatalog* catalog_;
};

}  // namespace identity

#endif  // IDENTITY_APPLICATION_IDENTITY_PROVIDERS_PROVIDER_SETTINGS_H_
