// Granting and revoking add-on roles next to a user's primary role.
#ifndef IDENTITY_APPLICATION_ORGANIZATIONS_ROLE_GRANTS_H_
#define IDENTITY_APPLICATION_ORGANIZATIONS_ROLE_GRANTS_H_

#include "absl/status/statusor.h"
#include "domain/principal.h"
#include "application/organizations/role_catalog.h"
#include "storage/store.h"

namespace identity {

class RoleGrants {
 public:
  RoleGrants(storage::Store* store, RoleCatalog* catalog)
      : store_(store), catalog_(catalog) {}

  // INVALID_ARGUMENT for a role that is neither a built-in add-on nor a
  // custom role of the user's organization; PERMISSION_DENIED for
  // oneself or a role carrying a permission the caller does not hold;
  // FAILED_PRECONDITION for SERVICE_USER on an externally managed user.
  absl::StatusOr<domain::User> Grant(const Caller& caller,
                                      absl::string_view user_id,
                                      absl::string_view role);
  absl::StatusOr<domain::User> Revoke(const Caller& caller,
                                       absl::string_view user_id,
                                       absl::string_view role);

 private:
  absl::StatusOr<domain::User> Change(const Caller& caller,
                                       absl::string_view user_id,
                                       absl::string_view role, bool grant);

  storage::Store* store_;
  RoleCatalog* catalog_;
};

}  // namespace identity

#endif  // IDENTITY_APPLICATION_ORGANIZATIONS_ROLE_GRANTS_H_
