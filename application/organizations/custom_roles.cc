#include "application/organizations/custom_roles.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/error_info.h"
#include "domain/audit.h"
#include "domain/authorizer.h"
#include "domain/permissions.h"
#include "domain/roles.h"
#include "domain/operations.h"
#include "domain/validation.h"

namespace identity {
namespace {

absl::Status ValidateRoleName(absl::string_view name) {
  if (name.empty() || name.size() > 100) {
    return absl::InvalidArgumentError("name: 1 to 100 characters");
  }
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' &&
        c != '-' && c != '.') {
      return absl::InvalidArgumentError(
          "name: letters, digits, '_', '-' and '.' only, such as "
          "SUPPORT_AGENT");
    }
  }
  for (const RoleDefinition& builtin : BuiltInRoles()) {
    if (absl::EqualsIgnoreCase(builtin.name, name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("name: ", builtin.name, " is a built-in role"));
    }
  }
  return absl::OkStatus();
}

std::string Joined(const std::vector<std::string>& v) {
  return absl::StrJoin(v, " ");
}

}  // namespace

absl::Status NormalizeRolePermissions(const Principal& caller,
                                      std::vector<std::string>* permissions) {
  std::sort(permissions->begin(), permissions->end());
  permissions->erase(std::unique(permissions->begin(), permissions->end()),
                     permissions->end());
  const auto& all = perm::All();
  for (const std::string& p : *permissions) {
    if (!std::binary_search(all.begin(), all.end(), p)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "permissions: unknown permission '", p.substr(0, 64),
          "'; ListRoles shows the permission names"));
    }
    if (perm::IsGlobalOnly(p)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "permissions: '", p, "' belongs to GLOBAL_ADMIN only"));
    }
    if (!caller.Has(p)) {
      return WithReason(absl::PermissionDeniedError(
                            absl::StrCat("permissions: cannot include '", p,
                                         "', which the caller does not hold")),
                        reason::kPermissionMissing,
                        {{"field", "permissions"}, {"permission", p}});
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<domain::CustomRole> CustomRoles::LoadFor(
    absl::string_view method, const Caller& caller, absl::string_view id) {
  absl::Status valid = ValidateId("id", id);
  if (!valid.ok()) return valid;
  absl::StatusOr<domain::CustomRole> role = store_->GetRole(id);
  if (!role.ok()) return role.status();
  absl::Status allowed =
      Check(method, *caller.principal, Target{role->organization_id});
  if (!allowed.ok()) return allowed;
  return role;
}

absl::StatusOr<domain::CustomRole> CustomRoles::Create(
    const Caller& caller, domain::CustomRole role) {
  const Principal& p = *caller.principal;
  if (role.organization_id.empty()) role.organization_id = p.user.organization_id;
  absl::Status valid = ValidateId("organization_id", role.organization_id);
  if (valid.ok()) valid = ValidateRoleName(role.name);
  if (valid.ok() && role.description.size() > 500) {
    valid = absl::InvalidArgumentError("description: at most 500 bytes");
  }
  if (!valid.ok()) return valid;
  absl::Status allowed =
      Check(op::kCreateRole, p, Target{role.organization_id});
  if (!allowed.ok()) return allowed;
  absl::Status perms = NormalizeRolePermissions(p, &role.permissions);
  if (!perms.ok()) return perms;
  absl::StatusOr<domain::Organization> org =
      store_->GetOrganization(role.organization_id);
  if (!org.ok()) return org.status();
  return store_->CreateRole(
      role, MakeAudit(caller, "role.create", "role", "", role.organization_id,
                      {{"name", role.name},
                       {"permissions", Joined(role.permissions)}}));
}

absl::StatusOr<domain::CustomRole> CustomRoles::Update(const Caller& caller,
                                                        RoleChanges changes) {
  if (changes.expected_version < 0) {
    return absl::InvalidArgumentError("version: must not be negative");
  }
  absl::StatusOr<domain::CustomRole> role =
      LoadFor(op::kUpdateRole, caller, changes.id);
  if (!role.ok()) return role.status();
  if (changes.description) {
    if (changes.description->size() > 500) {
      return absl::InvalidArgumentError("description: at most 500 bytes");
    }
    role->description = *changes.description;
  }
  if (changes.permissions) {
    absl::Status perms =
        NormalizeRolePermissions(*caller.principal, &*changes.permissions);
    if (!perms.ok()) return perms;
    // Taking a permission away is also handing out less than one holds, but
    // only someone holding it may decide that.
    for (const std::string& old : role->permissions) {
      if (!caller.principal->Has(old)) {
        return WithReason(absl::PermissionDeniedError(absl::StrCat(
                              "permissions: the role carries '", old,
                              "', which the caller does not hold")),
                          reason::kPermissionMissing,
                          {{"field", "permissions"}, {"permission", old}});
      }
    }
    role->permissions = *changes.permissions;
  }
  return store_->UpdateRole(
      *role, changes.expected_version,
      MakeAudit(caller, "role.update", "role", role->id, role->organization_id,
                {{"name", role->name},
                 {"permissions", Joined(role->permissions)}}));
}

absl::Status CustomRoles::Delete(const Caller& caller, absl::string_view id) {
  absl::StatusOr<domain::CustomRole> role =
      LoadFor(op::kDeleteRole, caller, id);
  if (!role.ok()) return role.status();
  return store_->DeleteRole(
      role->id, MakeAudit(caller, "role.delete", "role", role->id,
                          role->organization_id, {{"name", role->name}}));
}

absl::StatusOr<std::vector<domain::CustomRole>> CustomRoles::List(
    const Caller& caller, absl::string_view organization_id) {
  const Principal& p = *caller.principal;
  std::string org(organization_id.empty() ? p.user.organization_id
                                          : std::string(organization_id));
  absl::Status valid = ValidateId("organization_id", org);
  if (!valid.ok()) return valid;
  absl::Status allowed = Check(op::kListRoles, p, Target{org});
  if (!allowed.ok()) return allowed;
  return store_->ListRoles(org);
}

}  // namespace identity
