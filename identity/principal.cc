#include "identity/principal.h"

#include "identity/roles.h"

namespace identity {

bool PasswordExpired(const storage::User& user, int max_age_days,
                     absl::Time now) {
  return max_age_days > 0 && user.origin == storage::Origin::kInternal &&
         user.password_changed_at + absl::Hours(24) * max_age_days <= now;
}

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
