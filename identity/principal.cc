#include "identity/principal.h"

#include "identity/roles.h"

namespace identity {

Principal PrincipalFor(const storage::User& user) {
  Principal p;
  p.user = user;
  p.roles = {user.primary_role};
  p.roles.insert(p.roles.end(), user.add_on_roles.begin(),
                 user.add_on_roles.end());
  p.permissions = PermissionsOf(p.roles);
  p.global = AnyGlobal(p.roles);
  return p;
}

}  // namespace identity
