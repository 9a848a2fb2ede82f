// Groups of users of one organization; a member holds the group's roles.
#ifndef IDENTITY_STORAGE_PORTS_GROUPS_H_
#define IDENTITY_STORAGE_PORTS_GROUPS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/queries.h"
#include "storage/queries.h"

namespace identity::storage {

class GroupReads {
 public:
  virtual ~GroupReads() = default;

  virtual absl::StatusOr<Group> GetGroup(absl::string_view id) = 0;
  virtual absl::StatusOr<Page<Group>> ListGroups(
      absl::string_view organization_id, int limit,
      const std::optional<Cursor>& after) = 0;
};

class GroupWrites {
 public:
  virtual ~GroupWrites() = default;

  virtual absl::StatusOr<Group> CreateGroup(const Group& group,
                                            const AuditEntry& audit) = 0;
  virtual absl::Status DeleteGroup(absl::string_view id,
                                   const AuditEntry& audit) = 0;
  virtual absl::StatusOr<Group> SetGroupRoles(
      absl::string_view id, const std::vector<std::string>& roles,
      const AuditEntry& audit) = 0;
  // Adding is idempotent; the user must belong to the group's organization.
  virtual absl::StatusOr<Group> SetGroupMember(absl::string_view group_id,
                                               absl::string_view user_id,
                                               bool member,
                                               const AuditEntry& audit) = 0;
};

}  // namespace identity::storage

#endif  // IDENTITY_STORAGE_PORTS_GROUPS_H_
