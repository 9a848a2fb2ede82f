#include "providers/ldap/ldap_listing.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "providers/ldap/ldap_account.h"
#include "providers/ldap/ldap_login.h"
#include "providers/ldap/ldap_settings.h"

namespace identity::ldap {
namespace {

// Large enough to keep round trips few, below Active Directory's default
// MaxPageSize (1000).
constexpr int kPageSize = 500;

}  // namespace

absl::Status LdapListing::ForEachUser(
    const std::string& organization_id,
    const std::function<void(ListedUser)>& each) {
  absl::StatusOr<domain::LdapProviderConfig> config =
      LoadLdapSettings(*store_, organization_id);
  if (!config.ok()) return config.status();
  absl::StatusOr<Directory> directory = providers_->PooledDirectory(*config);
  if (!directory.ok()) return directory.status();
  absl::StatusOr<ServerInfo> server = directory->Server();
  if (!server.ok()) return server.status();
  std::vector<std::string> mapped_groups;
  for (const domain::GroupRoleMapping& m : config->group_role_mappings) {
    mapped_groups.push_back(m.group);
  }
  const absl::Time now = absl::Now();
  return directory->ForEachUser(
      kPageSize, mapped_groups,
      [&](const Entry& entry, const std::vector<std::string>& groups) {
        ListedUser listed;
        listed.identity =
            DescribeUser(*config, entry, groups, server->id_attribute);
        listed.entry = entry.dn;
        listed.why_missing =
            absl::StrCat("the entry has no ", config->username_attribute);
        AccountState state = AccountState::kActive;
        if (server->type == ServerType::kActiveDirectory) {
          state = EntryState(entry, now);
          if (std::optional<absl::Time> since = LockedSince(entry);
              since && state == AccountState::kActive) {
            // A lockout ends by itself (the domain's lockout duration):
            // reported, not acted on.
            listed.note =
                absl::StrCat("locked out in the directory since ",
                             absl::FormatTime(*since, absl::UTCTimeZone()));
          }
        }
        listed.identity.enabled = !DisablesLocalUser(state);
        listed.state = DescribeState(state);
        each(std::move(listed));
        return absl::OkStatus();
      });
}

}  // namespace identity::ldap
