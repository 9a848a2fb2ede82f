#include "identity/ldap/ldap_login.h"

#include "identity/external_users.h"

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
  MapGroupRoles(config.group_role_mappings, config.default_role, groups, user);
}

absl::StatusOr<DirectoryLogin> LdapLogin::Login(
    const std::string& organization_id, absl::string_view username,
    absl::string_view password) {
  auto load = [&] { return store_->GetLdapProvider(organization_id); };
  absl::StatusOr<storage::LdapProviderConfig> config =
      cache_ != nullptr ? cache_->LdapProvider(organization_id, load) : load();
  if (!config.ok()) return config.status();
  absl::StatusOr<Directory> directory = providers_->PooledDirectory(*config);
  if (!directory.ok()) return directory.status();
  auto ask = [&] { return directory->Login(username, password); };
  absl::StatusOr<LoginOutcome> outcome =
      providers_->fences() == nullptr
          ? ask()
          : providers_->fences()->Run<LoginOutcome>(
                organization_id, config->pool_size,
                absl::Milliseconds(std::min(config->connect_timeout_ms,
                                            config->operation_timeout_ms)),
                ask);
  if (!outcome.ok()) return outcome.status();
  DirectoryLogin login{outcome->result, {}};
  if (outcome->result != LoginResult::kAuthenticated) return login;
  login.user = DescribeUser(*config, outcome->entry, outcome->groups);
  if (login.user.username.empty()) login.user.username = std::string(username);
  return login;
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
