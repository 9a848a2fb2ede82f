// Organizations: their settings, lookup by name or login domain, and moving
// everything of one into another.
#ifndef IDENTITY_STORAGE_PORTS_ORGANIZATIONS_H_
#define IDENTITY_STORAGE_PORTS_ORGANIZATIONS_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/queries.h"
#include "storage/queries.h"

namespace identity::storage {

class OrganizationReads {
 public:
  virtual ~OrganizationReads() = default;

  virtual absl::StatusOr<Organization> GetOrganization(
      absl::string_view id) = 0;
  virtual absl::StatusOr<Page<Organization>> ListOrganizations(
      const OrganizationListQuery& query) = 0;
  // NOT_FOUND when no organization has this name (case-insensitive) or
  // lists this domain in login_domains.
  virtual absl::StatusOr<Organization> FindOrganizationByName(
      absl::string_view name) = 0;
  virtual absl::StatusOr<Organization> FindOrganizationByLoginDomain(
      absl::string_view domain) = 0;
};

class OrganizationWrites {
 public:
  virtual ~OrganizationWrites() = default;

  virtual absl::StatusOr<Organization> CreateOrganization(
      absl::string_view name, const AuditEntry& audit) = 0;
  virtual absl::StatusOr<Organization> UpdateOrganization(
      const OrganizationUpdate& update, const AuditEntry& audit) = 0;
  // FAILED_PRECONDITION while the organization still has users.
  virtual absl::Status DeleteOrganization(absl::string_view id,
                                          const AuditEntry& audit) = 0;

  struct MoveCounts {
    int64_t users = 0;
    int64_t api_keys = 0;
    int64_t roles = 0;
    int64_t groups = 0;
  };
  // Moves every user (and so its keys and sessions), custom role and group
  // of `source` to `target` in one transaction; NOT_FOUND when either is
  // missing, FAILED_PRECONDITION (nothing moved) when role or group names
  // collide.
  virtual absl::StatusOr<MoveCounts> MoveOrganizationContents(
      absl::string_view source, absl::string_view target,
      const AuditEntry& audit) = 0;
};

}  // namespace identity::storage

#endif  // IDENTITY_STORAGE_PORTS_ORGANIZATIONS_H_
