#include "domain/permission_check.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "domain/permissions.h"
#include "domain/validation.h"

namespace identity {

absl::Status ValidatePermissionQuery(absl::string_view prefix,
                                     const PermissionQuery& query) {
  if (query.permission.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(prefix, "permission: required"));
  }
  const auto& all = perm::All();
  if (!std::binary_search(all.begin(), all.end(), query.permission)) {
    return absl::InvalidArgumentError(
        absl::StrCat(prefix, "permission: unknown permission '",
                     query.permission.substr(0, 64),
                     "'; ListRoles shows the permission names"));
  }
  if (query.organization_id.empty()) return absl::OkStatus();
  return ValidateId(absl::StrCat(prefix, "organization_id"),
                    query.organization_id);
}

Decision CheckPermission(absl::string_view operation,
                         const Principal& principal,
                         const PermissionQuery& query) {
  const OperationRule rule = PermissionRule(operation, query.permission);
  const Target target{query.organization_id.empty()
                          ? principal.user.organization_id
                          : query.organization_id};
  return Decide(rule, &principal, &target);
}

std::vector<Decision> CheckPermissions(
    absl::string_view operation, const Principal& principal,
    const std::vector<PermissionQuery>& queries) {
  std::vector<Decision> decisions;
  decisions.reserve(queries.size());
  const Target own{principal.user.organization_id};
  Target other;  // the last other organization asked about
  for (const PermissionQuery& query : queries) {
    const Target* target = &own;
    if (!query.organization_id.empty() &&
        query.organization_id != own.organization_id) {
      if (other.organization_id != query.organization_id) {
        other.organization_id = query.organization_id;
      }
      target = &other;
    }
    decisions.push_back(Decide(PermissionRule(operation, query.permission),
                               &principal, target));
  }
  return decisions;
}

absl::StatusOr<Decision> RefusalOf(const absl::Status& validation) {
  if (absl::IsUnauthenticated(validation)) {
    return Decision{Refusal::kUnauthenticated,
                    std::string(validation.message())};
  }
  if (absl::IsPermissionDenied(validation)) {
    return Decision{Refusal::kOutsideTrustedIps,
                    std::string(validation.message())};
  }
  return validation;
}

}  // namespace identity
