// The built-in roles and the permissions each carries.
#ifndef IDENTITY_DOMAIN_ROLES_H_
#define IDENTITY_DOMAIN_ROLES_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace identity {

inline constexpr absl::string_view kGlobalAdmin = "GLOBAL_ADMIN";
inline constexpr absl::string_view kAdmin = "ADMIN";
inline constexpr absl::string_view kBasicUser = "BASIC_USER";
inline constexpr absl::string_view kBillingContact = "BILLING_CONTACT";
// Add-on roles, granted next to the primary role.
inline constexpr absl::string_view kServiceUser = "SERVICE_USER";
inline constexpr absl::string_view kControlCenter = "CONTROL_CENTER";
inline constexpr absl::string_view kPortalAccessRole = "PORTAL_ACCESS";

struct RoleDefinition {
  absl::string_view name;
  absl::string_view description;
  bool global;   // acts in every organization
  bool primary;  // may be a user's primary role
  std::vector<absl::string_view> permissions;  // sorted
};

const std::vector<RoleDefinition>& BuiltInRoles();
const RoleDefinition* FindBuiltInRole(absl::string_view name);

// A valid primary role name, or INVALID_ARGUMENT text naming the choices.
bool IsPrimaryRole(absl::string_view name);
std::string PrimaryRoleChoices();

bool IsAddOnRole(absl::string_view name);
std::string AddOnRoleChoices();

// The sorted union of the roles' permissions; unknown names add nothing.
std::vector<std::string> PermissionsOf(const std::vector<std::string>& roles);
bool AnyGlobal(const std::vector<std::string>& roles);

}  // namespace identity

#endif  // IDENTITY_DOMAIN_ROLES_H_
