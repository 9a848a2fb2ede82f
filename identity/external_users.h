// Users that an identity provider describes (LDAP entries, SAML
// assertions): their roles from the provider's groups, and what changed
// since the last login, the same way for every provider.
#ifndef IDENTITY_IDENTITY_EXTERNAL_USERS_H_
#define IDENTITY_IDENTITY_EXTERNAL_USERS_H_

#include <string>
#include <vector>

#include "storage/queries.h"
#include "storage/records.h"

namespace identity {

// The primary role of the first mapping (in configured order) whose group
// the user is in (compared case-insensitively), else `default_role`; the
// add-on roles of every matching mapping, sorted.
void MapGroupRoles(const std::vector<storage::GroupRoleMapping>& mappings,
                   const std::string& default_role,
                   const std::vector<std::string>& groups,
                   storage::ExternalUser* user);

// The fields ("email", "display_name", "primary_role", "add_on_roles") in
// which the local user differs from the provider's view of it.
std::vector<std::string> ChangedFields(const storage::User& local,
                                       const storage::ExternalUser& seen);

}  // namespace identity

#endif  // IDENTITY_IDENTITY_EXTERNAL_USERS_H_
