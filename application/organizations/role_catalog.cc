#include "application/organizations/role_catalog.h"

#include "absl/strings/str_cat.h"
#include "common/error_info.h"
#include "domain/roles.h"

namespace identity {

absl::StatusOr<std::vector<std::string>> RoleCatalog::Permissions(
    absl::string_view field, absl::string_view organization_id,
    absl::string_view name, RoleUse use) {
  if (name.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  }
  if (const RoleDefinition* builtin = FindBuiltInRole(name)) {
    if (use == RoleUse::kPrimary && !builtin->primary) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": ", name, " is an add-on role; grant it with GrantRole"));
    }
    if (use == RoleUse::kAddOn && builtin->primary) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": ", name,
          " is a primary role; change it with SetPrimaryRole"));
    }
    return std::vector<std::string>(builtin->permissions.begin(),
                                    builtin->permissions.end());
  }
  absl::StatusOr<domain::CustomRole> custom =
      store_->FindRole(organization_id, name);
  if (absl::IsNotFound(custom.status())) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": unknown role '", name.substr(0, 100), "'; built-in roles are ",
        PrimaryRoleChoices(), " (primary) and ", AddOnRoleChoices(),
        " (add-on); ListRoles shows the organization's custom roles"));
  }
  if (!custom.ok()) return custom.status();
  return custom->permissions;
}

absl::Status RoleCatalog::CheckGrantable(absl::string_view field,
                                         const Principal& caller,
                                         absl::string_view organization_id,
                                         absl::string_view name, RoleUse use) {
  absl::StatusOr<std::vector<std::string>> perms =
      Permissions(field, organization_id, name, use);
  if (!perms.ok()) return perms.status();
  if (AnyGlobal({std::string(name)}) && !caller.global) {
    return WithReason(
        absl::PermissionDeniedError(absl::StrCat(
            "only a global admin can grant the global role ", name)),
        reason::kRoleNotGrantable, {{"role", name}});
  }
  for (const std::string& p : *perms) {
    if (!caller.Has(p)) {
      return WithReason(absl::PermissionDeniedError(absl::StrCat(
                            "cannot grant role '", name, "': it carries '", p,
                            "', which the caller does not hold")),
                        reason::kRoleNotGrantable,
                        {{"role", name}, {"permission", p}});
    }
  }
  return absl::OkStatus();
}

}  // namespace identity
