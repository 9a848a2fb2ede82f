#include "domain/external_users.h"

#include <algorithm>
#include <set>

#include "absl/strings/match.h"

namespace identity {

void MapGroupRoles(const std::vector<domain::GroupRoleMapping>& mappings,
                   const std::string& default_role,
                   const std::vector<std::string>& groups,
                   domain::ExternalUser* user) {
  user->primary_role.clear();
  std::set<std::string> add_ons;
  for (const domain::GroupRoleMapping& m : mappings) {
    const bool member =
        std::any_of(groups.begin(), groups.end(), [&](const std::string& g) {
          return absl::EqualsIgnoreCase(g, m.group);
        });
    if (!member) continue;
    if (user->primary_role.empty()) user->primary_role = m.primary_role;
    add_ons.insert(m.add_on_roles.begin(), m.add_on_roles.end());
  }
  if (user->primary_role.empty()) user->primary_role = default_role;
  user->add_on_roles.assign(add_ons.begin(), add_ons.end());
}

std::vector<std::string> ChangedFields(const domain::User& local,
                                       const domain::ExternalUser& seen) {
  std::vector<std::string> fields;
  if (local.email != seen.email) fields.push_back("email");
  if (local.display_name != seen.display_name) fields.push_back("display_name");
  if (local.primary_role != seen.primary_role) fields.push_back("primary_role");
  if (local.add_on_roles != seen.add_on_roles) fields.push_back("add_on_roles");
  return fields;
}

}  // namespace identity
