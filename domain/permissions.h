// The fixed, named permissions. A role is a set of these; every RPC names the
// one it needs in the authorization table (authorizer.cc).
#ifndef IDENTITY_DOMAIN_PERMISSIONS_H_
#define IDENTITY_DOMAIN_PERMISSIONS_H_

#include <vector>

#include "absl/strings/string_view.h"

namespace identity::perm {

// Global only: nobody scoped to one organization holds these.
inline constexpr absl::string_view kOrganizationsCreate = "organizations.create";
inline constexpr absl::string_view kOrganizationsDelete = "organizations.delete";
inline constexpr absl::string_view kOrganizationsMove = "organizations.move";
// Organization administration.
inline constexpr absl::string_view kOrganizationsRead = "organizations.read";
inline constexpr absl::string_view kOrganizationsWrite = "organizations.write";
inline constexpr absl::string_view kUsersCreate = "users.create";
inline constexpr absl::string_view kUsersRead = "users.read";
inline constexpr absl::string_view kUsersUpdate = "users.update";
inline constexpr absl::string_view kUsersDelete = "users.delete";
inline constexpr absl::string_view kUsersStatus = "users.status";
inline constexpr absl::string_view kUsersRoles = "users.roles";
inline constexpr absl::string_view kUsersPasswordReset = "users.password.reset";
inline constexpr absl::string_view kRolesRead = "roles.read";
inline constexpr absl::string_view kRolesWrite = "roles.write";
inline constexpr absl::string_view kGroupsRead = "groups.read";
inline constexpr absl::string_view kGroupsWrite = "groups.write";
inline constexpr absl::string_view kAuditRead = "audit.read";
inline constexpr absl::string_view kApiKeysManage = "api_keys.manage";
// Platform features (used by the services that call us).
inline constexpr absl::string_view kBillingRead = "billing.read";
inline constexpr absl::string_view kBillingWrite = "billing.write";
inline constexpr absl::string_view kAppsCreate = "apps.create";
inline constexpr absl::string_view kApisSubscribe = "apis.subscribe";
// Granted by add-on roles.
inline constexpr absl::string_view kApisInvoke = "apis.invoke";
inline constexpr absl::string_view kControlCenterAccess = "control_center.access";
inline constexpr absl::string_view kPortalAccess = "portal.access";
// The caller's own account.
inline constexpr absl::string_view kSelfRead = "self.read";
inline constexpr absl::string_view kSelfUpdate = "self.update";
inline constexpr absl::string_view kSelfPassword = "self.password";
inline constexpr absl::string_view kSelfApiKeys = "self.api_keys";

// Every permission above, sorted.
const std::vector<absl::string_view>& All();

// Held only through a global role; never part of a custom role.
bool IsGlobalOnly(absl::string_view permission);

}  // namespace identity::perm

#endif  // IDENTITY_DOMAIN_PERMISSIONS_H_
