#include "domain/roles.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_join.h"
#include "domain/permissions.h"

namespace identity {
namespace perm {

const std::vector<absl::string_view>& All() {
  static const auto* kAll = [] {
    auto* v = new std::vector<absl::string_view>{
        kOrganizationsCreate, kOrganizationsDelete, kOrganizationsMove,
        kOrganizationsRead,
        kOrganizationsWrite,  kUsersCreate,         kUsersRead,
        kUsersUpdate,         kUsersDelete,         kUsersStatus,
        kUsersRoles,          kUsersPasswordReset,  kRolesRead,
        kRolesWrite,          kGroupsRead,          kGroupsWrite,
        kAuditRead,           kBillingRead,         kBillingWrite,
        kAppsCreate,          kApisSubscribe,       kSelfRead,
        kSelfUpdate,          kSelfPassword,        kApiKeysManage,
        kSelfApiKeys,         kApisInvoke,          kControlCenterAccess,
        kPortalAccess};
    std::sort(v->begin(), v->end());
    return v;
  }();
  return *kAll;
}

bool IsGlobalOnly(absl::string_view permission) {
  return permission == kOrganizationsCreate ||
         permission == kOrganizationsDelete || permission == kOrganizationsMove;
}

}  // namespace perm

namespace {

std::vector<absl::string_view> Sorted(std::vector<absl::string_view> v) {
  std::sort(v.begin(), v.end());
  return v;
}

std::vector<RoleDefinition> MakeRoles() {
  using namespace perm;  // NOLINT: a table of names reads better unqualified
  const std::vector<absl::string_view> self = {kSelfRead, kSelfUpdate,
                                               kSelfPassword};
  std::vector<absl::string_view> admin = {
      kOrganizationsRead, kOrganizationsWrite, kUsersCreate,  kUsersRead,
      kUsersUpdate,       kUsersDelete,        kUsersStatus,  kUsersRoles,
      kUsersPasswordReset, kRolesRead,         kAuditRead,    kBillingRead,
      kRolesWrite,        kGroupsRead,         kGroupsWrite,
      kBillingWrite,      kAppsCreate,         kApisSubscribe, kApiKeysManage,
      kSelfApiKeys,       kApisInvoke,         kControlCenterAccess,
      kPortalAccess};
  admin.insert(admin.end(), self.begin(), self.end());
  std::vector<absl::string_view> basic = {kAppsCreate, kApisSubscribe,
                                          kSelfApiKeys};
  basic.insert(basic.end(), self.begin(), self.end());
  std::vector<absl::string_view> billing = {kBillingRead, kBillingWrite};
  billing.insert(billing.end(), self.begin(), self.end());
  return {
      {kGlobalAdmin, "All settings of every organization.", true, true,
       perm::All()},
      {kAdmin, "All settings of its own organization.", false, true,
       Sorted(admin)},
      {kBasicUser, "Creates apps and subscribes to APIs; no settings.", false,
       true, Sorted(basic)},
      {kBillingContact, "Billing and plan only.", false, true, Sorted(billing)},
      {kServiceUser, "API-only access: calls platform APIs with API keys.",
       false, false, Sorted({kApisInvoke, kSelfApiKeys})},
      {kControlCenter, "The operations dashboard.", false, false,
       {kControlCenterAccess}},
      {kPortalAccessRole, "The developer portal.", false, false,
       {perm::kPortalAccess}},
  };
}

}  // namespace

const std::vector<RoleDefinition>& BuiltInRoles() {
  static const auto* kRoles = new std::vector<RoleDefinition>(MakeRoles());
  return *kRoles;
}

const RoleDefinition* FindBuiltInRole(absl::string_view name) {
  for (const RoleDefinition& r : BuiltInRoles()) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

bool IsPrimaryRole(absl::string_view name) {
  const RoleDefinition* role = FindBuiltInRole(name);
  return role != nullptr && role->primary;
}

std::string PrimaryRoleChoices() {
  std::vector<absl::string_view> names;
  for (const RoleDefinition& r : BuiltInRoles()) {
    if (r.primary) names.push_back(r.name);
  }
  return absl::StrJoin(names, ", ");
}

bool IsAddOnRole(absl::string_view name) {
  const RoleDefinition* role = FindBuiltInRole(name);
  return role != nullptr && !role->primary;
}

std::string AddOnRoleChoices() {
  std::vector<absl::string_view> names;
  for (const RoleDefinition& r : BuiltInRoles()) {
    if (!r.primary) names.push_back(r.name);
  }
  return absl::StrJoin(names, ", ");
}

std::vector<std::string> PermissionsOf(const std::vector<std::string>& roles) {
  // Every validation builds a principal: views sorted in place, then one
  // string each, rather than a tree node per permission.
  std::vector<absl::string_view> names;
  for (const std::string& name : roles) {
    if (const RoleDefinition* r = FindBuiltInRole(name)) {
      names.insert(names.end(), r->permissions.begin(), r->permissions.end());
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return std::vector<std::string>(names.begin(), names.end());
}

bool AnyGlobal(const std::vector<std::string>& roles) {
  for (const std::string& name : roles) {
    const RoleDefinition* r = FindBuiltInRole(name);
    if (r != nullptr && r->global) return true;
  }
  return false;
}

}  // namespace identity
