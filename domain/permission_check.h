// "May the holder of this credential use this permission in this
// organization?" (CheckPermission, BatchCheckPermissions), answered by
// Decide, the function that admits the service's own operations: a
// permission check is an operation rule made of the permission (PermissionRule)
// and a target made of the organization.
#ifndef IDENTITY_DOMAIN_PERMISSION_CHECK_H_
#define IDENTITY_DOMAIN_PERMISSION_CHECK_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "domain/authorizer.h"
#include "domain/principal.h"

namespace identity {

struct PermissionQuery {
  std::string permission;       // one of perm::All()
  std::string organization_id;  // empty: the principal's own
};

// INVALID_ARGUMENT naming the field (`prefix` + "permission" or
// "organization_id") for an empty or unknown permission name or a malformed
// organization id.
absl::Status ValidatePermissionQuery(absl::string_view prefix,
                                     const PermissionQuery& query);

// The decision for a validated query. `operation` is the checking operation (no
// pending step reaches it). An organization that does not exist is decided
// like any other: the answer never says whether an organization exists.
Decision CheckPermission(absl::string_view operation,
                         const Principal& principal,
                         const PermissionQuery& query);
// CheckPermission for each query, in order: the same decisions, with the
// target of an organization built once rather than per query.
std::vector<Decision> CheckPermissions(
    absl::string_view operation, const Principal& principal,
    const std::vector<PermissionQuery>& queries);

// What a credential that did not validate answers: UNAUTHENTICATED as
// kUnauthenticated and an API key's PERMISSION_DENIED (outside the trusted IP
// ranges) as kOutsideTrustedIps; any other error (an outage) stays an error.
absl::StatusOr<Decision> RefusalOf(const absl::Status& validation);

}  // namespace identity

#endif  // IDENTITY_DOMAIN_PERMISSION_CHECK_H_
