// Granting and revoking add-on roles next to a user's primary role.
#ifndef IDENTITY_IDENTITY_ROLE_GRANTS_H_
#define IDENTITY_IDENTITY_ROLE_GRANTS_H_

#include "absl/status/statusor.h"
#include "identity/principal.h"
#include "storage/store.h"

namespace identity {

class RoleGrants {
 public:
  explicit RoleGrants(storage::Store* store) : store_(store) {}

  // INVALID_ARGUMENT for a role that is not an add-on; PERMISSION_DENIED for
  // oneself or a role carrying a permission the caller does not hold;
  // FAILED_PRECONDITION for SERVICE_USER on an externally managed user.
  absl::StatusOr<storage::User> Grant(const Caller& caller,
                                      absl::string_view user_id,
                                      absl::string_view role);
  absl::StatusOr<storage::User> Revoke(const Caller& caller,
                                       absl::string_view user_id,
                                       absl::string_view role);

 private:
  absl::StatusOr<storage::User> Change(const Caller& caller,
                                       absl::string_view user_id,
                                       absl::string_view role, bool grant);

  storage::Store* store_;
};

}  // namespace identity

#endif  // IDENTITY_IDENTITY_ROLE_GRANTS_H_
