#include "application/organizations/role_grants.h"

#include "absl/strings/str_cat.h"
#include "common/error_info.h"
#include "domain/audit.h"
#include "domain/authorizer.h"
#include "domain/roles.h"
#include "domain/operations.h"
#include "application/users/user_commands.h"
#include "domain/validation.h"

namespace identity {

absl::StatusOr<domain::User> RoleGrants::Grant(const Caller& caller,
                                                absl::string_view user_id,
                                                absl::string_view role) {
  return Change(caller, user_id, role, true);
}

absl::StatusOr<domain::User> RoleGrants::Revoke(const Caller& caller,
                                                 absl::string_view user_id,
                                                 absl::string_view role) {
  return Change(caller, user_id, role, false);
}

absl::StatusOr<domain::User> RoleGrants::Change(const Caller& caller,
                                                 absl::string_view user_id,
                                                 absl::string_view role,
                                                 bool grant) {
  absl::Status valid = ValidateId("user_id", user_id);
  if (!valid.ok()) return valid;
  const Principal& p = *caller.principal;
  absl::StatusOr<domain::User> user = store_->GetUser(user_id);
  if (!user.ok()) return user.status();
  absl::Status allowed =
      Check(grant ? op::kGrantRole : op::kRevokeRole, p,
            TargetFor(*user));
  if (!allowed.ok()) return allowed;
  if (user->id == p.user.id) {
    return WithReason(
        absl::PermissionDeniedError(
            "you cannot change your own roles; ask another administrator"),
        reason::kSelfChange);
  }
  absl::Status grantable = catalog_->CheckGrantable(
      "role", p, user->organization_id, role, RoleUse::kAddOn);
  if (!grantable.ok()) return grantable;
  // SERVICE_USER is never a user's only role: every user keeps its primary
  // role, so only the origin rule needs checking here.
  if (grant && role == kServiceUser) {
    absl::Status internal = RequireInternal(*user, "grant SERVICE_USER to");
    if (!internal.ok()) return internal;
  }
  return store_->SetAddOnRole(
      user->id, role, grant,
      MakeAudit(caller, grant ? "user.grant_role" : "user.revoke_role", "user",
                user->id, user->organization_id, {{"role", role}}));
}

}  // namespace identity
