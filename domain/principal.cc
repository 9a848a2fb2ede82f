#include "domain/principal.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "domain/roles.h"

namespace identity {

bool PasswordExpired(const domain::User& user, int max_age_days,
                     absl::Time now) {
  return max_age_days > 0 && user.origin == domain::Origin::kInternal &&
         user.password_changed_at + absl::Hours(24) * max_age_days <= now;
}

std::vector<std::string> RequiredActions(const domain::User& user,
                                         const SessionRequirements& org,
                                         absl::Time now) {
  std::vector<std::string> actions;
  if (PasswordExpired(user, org.password_max_age_days, now)) {
    actions.push_back(kChangePassword);
  }
  // Invited and self-registered users accept the current version.
  if (user.must_accept_terms && !org.terms_of_use_version.empty() &&
      user.terms_accepted_version != org.terms_of_use_version) {
    actions.push_back(kAcceptTermsOfUse);
  }
  // SAML users' second factor is their IdP's business.
  if (org.require_totp && !user.totp_enabled &&
      user.origin != domain::Origin::kSaml) {
    actions.push_back(kEnrollTotp);
  }
  return actions;
}

Principal PrincipalFor(const domain::User& user) {
  Principal p;
  p.user = user;
  p.roles = {user.primary_role};
  for (const auto* more : {&user.add_on_roles, &user.group_roles}) {
    for (const std::string& r : *more) {
      // SERVICE_USER is refused on every path to an externally managed
      // user; should one be found anyway, it grants nothing.
      if (r == kServiceUser && user.origin != domain::Origin::kInternal) {
        continue;
      }
      if (std::find(p.roles.begin(), p.roles.end(), r) == p.roles.end()) {
        p.roles.push_back(r);
      }
    }
  }
  // Built-in roles' permissions, and those of custom roles (already resolved
  // by the store within the user's organization).
  std::vector<std::string> builtin = PermissionsOf(p.roles);
  std::set_union(builtin.begin(), builtin.end(),
                 user.custom_permissions.begin(), user.custom_permissions.end(),
                 std::back_inserter(p.permissions));
  p.permissions.erase(std::unique(p.permissions.begin(), p.permissions.end()),
                      p.permissions.end());
  p.global = AnyGlobal(p.roles);
  return p;
}

Principal ScopedToKey(Principal owner, const std::vector<std::string>& scope) {
  if (scope.empty()) return owner;
  // The key's scope, narrowed again to what the owner holds today.
  std::vector<std::string> scoped;
  std::set_intersection(owner.permissions.begin(), owner.permissions.end(),
                        scope.begin(), scope.end(), std::back_inserter(scoped));
  owner.owner_permissions = std::exchange(owner.permissions, std::move(scoped));
  return owner;
}

}  // namespace identity
