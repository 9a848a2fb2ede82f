// Users that an identity provider describes (LDAP entries, SAML
// assertions): their roles from the provider's groups, and what changed
// since the last login, the same way for every provider.
#ifndef IDENTITY_DOMAIN_EXTERNAL_USERS_H_
#define IDENTITY_DOMAIN_EXTERNAL_USERS_H_

#include <string>
#include <vector>

#include "domain/records.h"

namespace identity {

// The primary role of the first mapping (in configured order) whose group
// the user is in (compared case-insensitively), else `default_role`; the
// add-on roles of every matching mapping, sorted.
void MapGroupRoles(const std::vector<domain::GroupRoleMapping>& mappings,
                   const std::string& default_role,
                   const std::vector<std::string>& groups,
                   domain::ExternalUser* user);

// The fields ("email", "display_name", "primary_role", "add_on_roles") in
// which the local user differs from the provider's view of it.
std::vector<std::string> ChangedFields(const domain::User& local,
                                       const domain::ExternalUser& seen);

}  // namespace identity

#endif  // IDENTITY_DOMAIN_EXTERNAL_USERS_H_
