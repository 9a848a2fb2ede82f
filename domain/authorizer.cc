#include "domain/authorizer.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "domain/permissions.h"
#include "domain/operations.h"

namespace identity {
namespace {

std::vector<RpcRule> MakeRules() {
  using namespace perm;  // NOLINT: the table reads better unqualified
  constexpr absl::string_view kNone;
  constexpr bool kOver = true;  // over_account
  return {
      {op::kAuthenticate, Scope::kPublic, kNone, kNone},
      {op::kValidateToken, Scope::kPublic, kNone, kNone},
      {op::kLogout, Scope::kAuthenticated, kNone, kNone},
      {op::kValidateApiKey, Scope::kPublic, kNone, kNone},
      {op::kEnrollTotp, Scope::kAuthenticated, kNone, kSelfUpdate},
      {op::kConfirmTotp, Scope::kAuthenticated, kNone, kSelfUpdate},
      {op::kDisableTotp, Scope::kOrganization, kUsersStatus, kSelfUpdate, kOver},
      {op::kListSessions, Scope::kOrganization, kUsersRead, kSelfRead, kOver},
      {op::kRevokeSession, Scope::kOrganization, kUsersStatus, kSelfUpdate, kOver},

      {op::kCreateApiKey, Scope::kOrganization, kApiKeysManage, kSelfApiKeys, kOver},
      {op::kListApiKeys, Scope::kOrganization, kApiKeysManage, kSelfApiKeys, kOver},
      {op::kRevokeApiKey, Scope::kOrganization, kApiKeysManage, kSelfApiKeys, kOver},

      {op::kCreateOrganization, Scope::kGlobal, kOrganizationsCreate, kNone},
      {op::kGetOrganization, Scope::kOrganization, kOrganizationsRead, kNone},
      {op::kListOrganizations, Scope::kOrganization, kOrganizationsRead,
       kNone},
      {op::kUpdateOrganization, Scope::kOrganization, kOrganizationsWrite,
       kNone},
      {op::kDeleteOrganization, Scope::kGlobal, kOrganizationsDelete, kNone},
      {op::kMoveOrganizationContents, Scope::kGlobal, kOrganizationsMove,
       kNone},
      {op::kConfigureLdapProvider, Scope::kOrganization, kOrganizationsWrite,
       kNone},
      {op::kGetIdentityProvider, Scope::kOrganization, kOrganizationsRead,
       kNone},
      {op::kTestIdentityProvider, Scope::kOrganization, kOrganizationsWrite,
       kNone},
      {op::kSyncLdapUsers, Scope::kOrganization, kOrganizationsWrite, kNone},
      {op::kConfigureSamlProvider, Scope::kOrganization, kOrganizationsWrite,
       kNone},
      {op::kBeginSamlLogin, Scope::kPublic, kNone, kNone},
      {op::kCompleteSamlLogin, Scope::kPublic, kNone, kNone},
      {op::kGetSamlMetadata, Scope::kPublic, kNone, kNone},

      {op::kCreateUser, Scope::kOrganization, kUsersCreate, kNone},
      {op::kGetUser, Scope::kOrganization, kUsersRead, kSelfRead},
      {op::kGetCurrentUser, Scope::kSelf, kNone, kSelfRead},
      {op::kListUsers, Scope::kOrganization, kUsersRead, kNone},
      {op::kUpdateUser, Scope::kOrganization, kUsersUpdate, kSelfUpdate, kOver},
      {op::kDeleteUser, Scope::kOrganization, kUsersDelete, kNone, kOver},
      {op::kEnableUser, Scope::kOrganization, kUsersStatus, kNone},
      {op::kDisableUser, Scope::kOrganization, kUsersStatus, kNone, kOver},
      {op::kSetPrimaryRole, Scope::kOrganization, kUsersRoles, kNone, kOver},
      {op::kChangePassword, Scope::kSelf, kNone, kSelfPassword},
      {op::kResetPassword, Scope::kOrganization, kUsersPasswordReset, kNone, kOver},

      {op::kUnlockUser, Scope::kOrganization, kUsersStatus, kNone},
      {op::kInviteUser, Scope::kOrganization, kUsersCreate, kNone},
      {op::kResendInvitation, Scope::kOrganization, kUsersCreate, kNone, kOver},
      {op::kAcceptInvitation, Scope::kPublic, kNone, kNone},
      {op::kRegisterUser, Scope::kPublic, kNone, kNone},
      {op::kVerifyEmail, Scope::kPublic, kNone, kNone},
      {op::kAcceptTermsOfUse, Scope::kAuthenticated, kNone, kSelfUpdate},

      {op::kGrantRole, Scope::kOrganization, kUsersRoles, kNone, kOver},
      {op::kRevokeRole, Scope::kOrganization, kUsersRoles, kNone, kOver},
      {op::kListAuditEvents, Scope::kOrganization, kAuditRead, kNone},
      {op::kCreateRole, Scope::kOrganization, kRolesWrite, kNone},
      {op::kUpdateRole, Scope::kOrganization, kRolesWrite, kNone},
      {op::kDeleteRole, Scope::kOrganization, kRolesWrite, kNone},
      {op::kCreateGroup, Scope::kOrganization, kGroupsWrite, kNone},
      {op::kListGroups, Scope::kOrganization, kGroupsRead, kNone},
      {op::kDeleteGroup, Scope::kOrganization, kGroupsWrite, kNone},
      {op::kAddGroupMember, Scope::kOrganization, kGroupsWrite, kNone, kOver},
      {op::kRemoveGroupMember, Scope::kOrganization, kGroupsWrite, kNone, kOver},
      {op::kSetGroupRoles, Scope::kOrganization, kGroupsWrite, kNone},
      {op::kListRoles, Scope::kOrganization, kRolesRead, kNone},

      {op::kHealthCheck, Scope::kPublic, kNone, kNone},
      {op::kHealthWatch, Scope::kPublic, kNone, kNone},
      {op::kServerReflectionInfo, Scope::kPublic, kNone, kNone},
  };
}

absl::Status Denied(absl::string_view method, absl::string_view why) {
  return absl::PermissionDeniedError(
      absl::StrCat("permission denied for ",
                   method.substr(method.rfind('/') + 1), ": ", why));
}

// Power over another account may not reach beyond the caller's own: a
// narrow role (say, only api_keys.manage) must not become an ADMIN by
// acting as one. Permissions over one's own account (self.*) are personal
// and not compared.
absl::Status CheckOverAccount(absl::string_view method, const RpcRule& rule,
                              const Principal& principal,
                              const Target& target) {
  if (!rule.over_account || target.user_id.empty() ||
      target.user_id == principal.user.id) {
    return absl::OkStatus();
  }
  for (const std::string& held : target.user_permissions) {
    if (absl::StartsWith(held, "self.") || principal.Has(held)) continue;
    return Denied(method, absl::StrCat("the account holds '", held,
                                       "', which the caller does not; only "
                                       "someone holding every permission of "
                                       "an account may act on it"));
  }
  return absl::OkStatus();
}

}  // namespace

const std::vector<RpcRule>& RpcRules() {
  static const auto* kRules = new std::vector<RpcRule>(MakeRules());
  return *kRules;
}

const RpcRule* FindRpcRule(absl::string_view method) {
  for (const RpcRule& rule : RpcRules()) {
    if (rule.method == method) return &rule;
  }
  return nullptr;
}

absl::Status Admit(absl::string_view method, const Principal* principal) {
  const RpcRule* rule = FindRpcRule(method);
  if (rule == nullptr) {
    log::Error("authz.unknown_method", {{"method", method}});
    return absl::InternalError("internal error");
  }
  if (rule->scope == Scope::kPublic) return absl::OkStatus();
  if (principal == nullptr) {
    return absl::UnauthenticatedError(
        "missing or invalid credential: send 'authorization: Bearer <token>'");
  }
  if (rule->scope == Scope::kAuthenticated) {
    // An API key reaches even these only when its scope allows it: a key
    // scoped to calling platform APIs must not enroll a second factor or
    // accept terms in its owner's name.
    if (principal->api_key_id.empty() || rule->self_permission.empty() ||
        principal->Has(rule->self_permission)) {
      return absl::OkStatus();
    }
    return Denied(method, absl::StrCat("the API key's scope lacks ",
                                       rule->self_permission));
  }
  const bool via_self =
      !rule->self_permission.empty() && principal->Has(rule->self_permission);
  const bool via_perm = !rule->permission.empty() &&
                        principal->Has(rule->permission) &&
                        (rule->scope != Scope::kGlobal || principal->global);
  if (via_self || via_perm) return absl::OkStatus();
  return Denied(method, absl::StrCat("needs ", rule->permission.empty()
                                                   ? rule->self_permission
                                                   : rule->permission));
}

absl::Status Check(absl::string_view method, const Principal& principal,
                   const Target& target) {
  absl::Status admitted = Admit(method, &principal);
  if (!admitted.ok()) return admitted;
  const RpcRule& rule = *FindRpcRule(method);
  if (rule.scope == Scope::kPublic || rule.scope == Scope::kAuthenticated) {
    return absl::OkStatus();
  }
  const bool is_self =
      !target.user_id.empty() && target.user_id == principal.user.id;
  if (is_self && !rule.self_permission.empty() &&
      principal.Has(rule.self_permission)) {
    return absl::OkStatus();
  }
  if (rule.scope == Scope::kSelf) {
    return Denied(method, "acts only on the caller's own account");
  }
  if (rule.permission.empty() || !principal.Has(rule.permission)) {
    return Denied(method, absl::StrCat("needs ", rule.permission));
  }
  if (principal.global) return CheckOverAccount(method, rule, principal, target);
  if (rule.scope == Scope::kGlobal) {
    return Denied(method, "needs a global role");
  }
  if (target.organization_id != principal.user.organization_id) {
    return Denied(method, "the object belongs to another organization");
  }
  if (target.user_is_global) {
    return Denied(method, "only a global admin can act on a global admin");
  }
  return CheckOverAccount(method, rule, principal, target);
}

Target TargetFor(const domain::User& user) {
  Principal holder = PrincipalFor(user);
  return Target{user.organization_id, user.id, holder.global,
                std::move(holder.permissions)};
}

}  // namespace identity
