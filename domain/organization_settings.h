// Validation and normalization of organization policy settings.
#ifndef IDENTITY_DOMAIN_ORGANIZATION_SETTINGS_H_
#define IDENTITY_DOMAIN_ORGANIZATION_SETTINGS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "domain/records.h"

namespace identity {

// What UpdateOrganization may change; unset members are kept.
struct OrganizationChanges {
  std::string id;
  int64_t expected_version = 0;
  std::optional<std::string> name;
  std::optional<domain::PasswordPolicySettings> password;
  std::optional<domain::SessionPolicySettings> session;
  std::optional<domain::LockoutPolicySettings> lockout;
  std::optional<std::vector<std::string>> trusted_ip_ranges;
  std::optional<std::string> terms_of_use_version;
  std::optional<bool> self_registration_enabled;
  std::optional<bool> require_totp;
  std::optional<std::vector<std::string>> login_domains;
};

// Checks every set member (INVALID_ARGUMENT naming the field) and brings
// CIDR ranges and domains into canonical form.
absl::Status NormalizeChanges(OrganizationChanges* changes);

// Applies the set members of `changes` to `org`.
void ApplyChanges(const OrganizationChanges& changes,
                  domain::Organization* org);

}  // namespace identity

#endif  // IDENTITY_DOMAIN_ORGANIZATION_SETTINGS_H_
