#include "identity/ldap/ldap_login.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace identity::ldap {
namespace {

std::string First(const Entry& entry, const std::string& attribute) {
  if (attribute.empty()) return "";
  auto it = entry.attributes.find(absl::AsciiStrToLower(attribute));
  if (it == entry.attributes.end() || it->second.empty()) return "";
  return it->second.front();
}

}  // namespace

void MapRoles(const storage::LdapProviderConfig& config,
              const std::vector<std::string>& groups,
              storage::ExternalUser* user) {
  user->primary_role.clear();
  std::set<std::string> add_ons;
  for (const storage::GroupRoleMapping& m : config.group_role_mappings) {
    const bool member =
        std::any_of(groups.begin(), groups.end(), [&](const std::string& g) {
          return absl::EqualsIgnoreCase(g, m.group);
        });
    if (!member) continue;
    if (user->primary_role.empty()) user->primary_role = m.primary_role;
    add_ons.insert(m.add_on_roles.begin(), m.add_on_roles.end());
  }
  if (user->primary_role.empty()) user->primary_role = config.default_role;
  user->add_on_roles.assign(add_ons.begin(), add_ons.end());
}

absl::StatusOr<DirectoryLogin> LdapLogin::Login(
    const std::string& organization_id, absl::string_view username,
    absl::string_view password) {
  absl::StatusOr<storage::LdapProviderConfig> config =
      store_->GetLdapProvider(organization_id);
  if (!config.ok()) return config.status();
  absl::StatusOr<Directory> directory = providers_->PooledDirectory(*config);
  if (!directory.ok()) return directory.status();
  absl::StatusOr<LoginOutcome> outcome = directory->Login(username, password);
  if (!outcome.ok()) return outcome.status();
  DirectoryLogin login{outcome->result, {}};
  if (outcome->result != LoginResult::kAuthenticated) return login;
  login.user = DescribeUser(*config, outcome->entry, outcome->groups);
  if (login.user.username.empty()) login.user.username = std::string(username);
  return login;
}

std::vector<std::string> ChangedFields(const storage::User& local,
                                       const storage::ExternalUser& seen) {
  std::vector<std::string> fields;
  if (local.email != seen.email) fields.push_back("email");
  if (local.display_name != seen.display_name) fields.push_back("display_name");
  if (local.primary_role != seen.primary_role) fields.push_back("primary_role");
  if (local.add_on_roles != seen.add_on_roles) fields.push_back("add_on_roles");
  return fields;
}

storage::ExternalUser DescribeUser(const storage::LdapProviderConfig& config,
                                   const Entry& entry,
                                   const std::vector<std::string>& groups) {
  storage::ExternalUser user;
  user.organization_id = config.organization_id;
  user.origin = storage::Origin::kLdap;
  user.username = First(entry, config.username_attribute);
  user.email = First(entry, config.email_attribute);
  user.display_name = First(entry, config.display_name_attribute);
  MapRoles(config, groups, &user);
  return user;
}

}  // namespace identity::ldap
