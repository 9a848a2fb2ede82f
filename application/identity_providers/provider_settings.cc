#include "application/identity_providers/provider_settings.h"

#include "absl/strings/str_cat.h"
#include "domain/roles.h"

namespace identity {

absl::Status ProviderSettingsChecker::Invalid(absl::string_view field,
                                              absl::string_view what) const {
  return absl::InvalidArgumentError(
      absl::StrCat(prefix_, ".", field, ": ", what));
}

absl::Status ProviderSettingsChecker::Text(absl::string_view field,
                                           absl::string_view value,
                                           bool required) const {
  if (value.empty())
    return required ? Invalid(field, "required") : absl::OkStatus();
  const bool separators = value.find('\x1f') != absl::string_view::npos ||
                          value.find('\x1e') != absl::string_view::npos;
  if (value.size() > 1024 || separators) {
    return Invalid(field, "at most 1024 bytes of text");
  }
  return absl::OkStatus();
}

absl::Status ProviderSettingsChecker::Roles(
    const Principal& p, const std::string& org, const std::string& default_role,
    const std::vector<domain::GroupRoleMapping>& mappings) const {
  absl::Status s =
      catalog_->CheckGrantable(absl::StrCat(prefix_, ".default_role"), p, org,
                               default_role, RoleUse::kPrimary);
  for (const domain::GroupRoleMapping& m : mappings) {
    if (s.ok()) s = Text("group_role_mappings.group", m.group, true);
    if (s.ok() && !m.primary_role.empty()) {
      s = catalog_->CheckGrantable(
          absl::StrCat(prefix_, ".group_role_mappings.primary_role"), p, org,
          m.primary_role, RoleUse::kPrimary);
    }
    for (const std::string& addon : m.add_on_roles) {
      if (s.ok() && addon == kServiceUser) {
        s = Invalid("group_role_mappings.add_on_roles",
                    "SERVICE_USER is never granted to users an identity "
                    "provider manages; give API access to an internal "
                    "service account instead");
      }
      if (s.ok()) {
        s = catalog_->CheckGrantable(
            absl::StrCat(prefix_, ".group_role_mappings.add_on_roles"), p, org,
            addon, RoleUse::kAddOn);
      }
    }
  }
  return s;
}

}  // namespace identity
