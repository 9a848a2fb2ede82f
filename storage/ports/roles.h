// Custom roles: named sets of permissions of one organization. Names are
// unique within an organization.
#ifndef IDENTITY_STORAGE_PORTS_ROLES_H_
#define IDENTITY_STORAGE_PORTS_ROLES_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/queries.h"

namespace identity::storage {

class RoleReads {
 public:
  virtual ~RoleReads() = default;

  virtual absl::StatusOr<CustomRole> GetRole(absl::string_view id) = 0;
  // NOT_FOUND when `organization_id` has no custom role `name`.
  virtual absl::StatusOr<CustomRole> FindRole(absl::string_view organization_id,
                                              absl::string_view name) = 0;
  virtual absl::StatusOr<std::vector<CustomRole>> ListRoles(
      absl::string_view organization_id) = 0;
};

class RoleWrites {
 public:
  virtual ~RoleWrites() = default;

  virtual absl::StatusOr<CustomRole> CreateRole(const CustomRole& role,
                                                const AuditEntry& audit) = 0;
  // Replaces description and permissions; ABORTED for a stale version.
  virtual absl::StatusOr<CustomRole> UpdateRole(const CustomRole& role,
                                                int64_t expected_version,
                                                const AuditEntry& audit) = 0;
  // FAILED_PRECONDITION while a user or a group holds the role.
  virtual absl::Status DeleteRole(absl::string_view id,
                                  const AuditEntry& audit) = 0;
};

}  // namespace identity::storage

#endif  // IDENTITY_STORAGE_PORTS_ROLES_H_
