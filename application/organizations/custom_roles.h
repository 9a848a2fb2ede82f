// Custom roles: named sets of the fixed permissions, per organization.
#ifndef IDENTITY_APPLICATION_ORGANIZATIONS_CUSTOM_ROLES_H_
#define IDENTITY_APPLICATION_ORGANIZATIONS_CUSTOM_ROLES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/principal.h"
#include "storage/store.h"

namespace identity {

struct RoleChanges {
  std::string id;
  std::optional<std::string> description;
  std::optional<std::vector<std::string>> permissions;
  int64_t expected_version = 0;
};

class CustomRoles {
 public:
  explicit CustomRoles(storage::Store* store) : store_(store) {}

  // Names must not clash with a built-in role; every permission must be
  // known, not global-only, and held by the caller.
  absl::StatusOr<domain::CustomRole> Create(const Caller& caller,
                                             domain::CustomRole role);
  absl::StatusOr<domain::CustomRole> Update(const Caller& caller,
                                             RoleChanges changes);
  absl::Status Delete(const Caller& caller, absl::string_view id);
  // The custom roles of `organization_id` (empty: the caller's).
  absl::StatusOr<std::vector<domain::CustomRole>> List(
      const Caller& caller, absl::string_view organization_id);

 private:
  absl::StatusOr<domain::CustomRole> LoadFor(absl::string_view method,
                                              const Caller& caller,
                                              absl::string_view id);
  storage::Store* store_;
};

// INVALID_ARGUMENT / PERMISSION_DENIED for a permission list a custom role
// may not carry; sorts and de-duplicates it.
absl::Status NormalizeRolePermissions(const Principal& caller,
                                      std::vector<std::string>* permissions);

}  // namespace identity

#endif  // IDENTITY_APPLICATION_ORGANIZATIONS_CUSTOM_ROLES_H_
