// Resolves role names within an organization (built-in or custom) and
// enforces that nobody hands out a role carrying a permission they lack.
#ifndef IDENTITY_APPLICATION_ORGANIZATIONS_ROLE_CATALOG_H_
#define IDENTITY_APPLICATION_ORGANIZATIONS_ROLE_CATALOG_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/principal.h"
#include "storage/store.h"

namespace identity {

enum class RoleUse { kPrimary, kAddOn, kAny };

class RoleCatalog {
 public:
  explicit RoleCatalog(storage::Store* store) : store_(store) {}

  // The permissions of role `name` for users of `organization_id`.
  // INVALID_ARGUMENT (naming `field`) when no such role may be used so.
  absl::StatusOr<std::vector<std::string>> Permissions(
      absl::string_view field, absl::string_view organization_id,
      absl::string_view name, RoleUse use);

  // As Permissions, and PERMISSION_DENIED unless `caller` holds every one of
  // them (a global role also needs a global caller).
  absl::Status CheckGrantable(absl::string_view field, const Principal& caller,
                              absl::string_view organization_id,
                              absl::string_view name, RoleUse use);

 private:
  storage::Store* store_;
};

}  // namespace identity

#endif  // IDENTITY_APPLICATION_ORGANIZATIONS_ROLE_CATALOG_H_
