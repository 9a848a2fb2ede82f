#include "identity/authorizer.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "identity/permissions.h"
#include "identity/rpc_names.h"

namespace identity {
namespace {

std::vector<RpcRule> MakeRules() {
  using namespace perm;  // NOLINT: the table reads better unqualified
  constexpr absl::string_view kNone;
  constexpr bool kOver = true;  // over_account
  return {
      {rpc::kAuthenticate, Scope::kPublic, kNone, kNone},
      {rpc::kValidateToken, Scope::kPublic, kNone, kNone},
      {rpc::kLogout, Scope::kAuthenticated, kNone, kNone},
      {rpc::kValidateApiKey, Scope::kPublic, kNone, kNone},
      {rpc::kEnrollTotp, Scope::kAuthenticated, kNone, kSelfUpdate},
      {rpc::kConfirmTotp, Scope::kAuthenticated, kNone, kSelfUpdate},
      {rpc::kDisableTotp, Scope::kOrganization, kUsersStatus, kSelfUpdate, kOver},
      {rpc::kListSessions, Scope::kOrganization, kUsersRead, kSelfRead, kOver},
      {rpc::kRevokeSession, Scope::kOrganization, kUsersStatus, kSelfUpdate, kOver},

      {rpc::kCreateApiKey, Scope::kOrganization, kApiKeysManage, kSelfApiKeys, kOver},
      {rpc::kListApiKeys, Scope::kOrganization, kApiKeysManage, kSelfApiKeys, kOver},
      {rpc::kRevokeApiKey, Scope::kOrganization, kApiKeysManage, kSelfApiKeys, kOver},

      {rpc::kCreateOrganization, Scope::kGlobal, kOrganizationsCreate, kNone},
      {rpc::kGetOrganization, Scope::kOrganization, kOrganizationsRead, kNone},
      {rpc::kListOrganizations, Scope::kOrganization, kOrganizationsRead,
       kNone},
      {rpc::kUpdateOrganization, Scope::kOrganization, kOrganizationsWrite,
       kNone},
      {rpc::kDeleteOrganization, Scope::kGlobal, kOrganizationsDelete, kNone},
      {rpc::kMoveOrganizationContents, Scope::kGlobal, kOrganizationsMove,
       kNone},
      {rpc::kConfigureLdapProvider, Scope::kOrganization, kOrganizationsWrite,
       kNone},
      {rpc::kGetIdentityProvider, Scope::kOrganization, kOrganizationsRead,
       kNone},
      {rpc::kTestIdentityProvider, Scope::kOrganization, kOrganizationsWrite,
       kNone},
      {rpc::kSyncLdapUsers, Scope::kOrganization, kOrganizationsWrite, kNone},
      {rpc::kConfigureSamlProvider, Scope::kOrganization, kOrganizationsWrite,
       kNone},
      {rpc::kBeginSamlLogin, Scope::kPublic, kNone, kNone},
      {rpc::kCompleteSamlLogin, Scope::kPublic, kNone, kNone},
      {rpc::kGetSamlMetadata, Scope::kPublic, kNone, kNone},

      {rpc::kCreateUser, Scope::kOrganization, kUsersCreate, kNone},
      {rpc::kGetUser, Scope::kOrganization, kUsersRead, kSelfRead},
      {rpc::kGetCurrentUser, Scope::kSelf, kNone, kSelfRead},
      {rpc::kListUsers, Scope::kOrganization, kUsersRead, kNone},
      {rpc::kUpdateUser, Scope::kOrganization, kUsersUpdate, kSelfUpdate, kOver},
      {rpc::kDeleteUser, Scope::kOrganization, kUsersDelete, kNone, kOver},
      {rpc::kEnableUser, Scope::kOrganization, kUsersStatus, kNone},
      {rpc::kDisableUser, Scope::kOrganization, kUsersStatus, kNone, kOver},
      {rpc::kSetPrimaryRole, Scope::kOrganization, kUsersRoles, kNone, kOver},
      {rpc::kChangePassword, Scope::kSelf, kNone, kSelfPassword},
      {rpc::kResetPassword, Scope::kOrganization, kUsersPasswordReset, kNone, kOver},

      {rpc::kUnlockUser, Scope::kOrganization, kUsersStatus, kNone},
      {rpc::kInviteUser, Scope::kOrganization, kUsersCreate, kNone},
      {rpc::kResendInvitation, Scope::kOrganization, kUsersCreate, kNone, kOver},
      {rpc::kAcceptInvitation, Scope::kPublic, kNone, kNone},
      {rpc::kRegisterUser, Scope::kPublic, kNone, kNone},
      {rpc::kVerifyEmail, Scope::kPublic, kNone, kNone},
      {rpc::kAcceptTermsOfUse, Scope::kAuthenticated, kNone, kSelfUpdate},

      {rpc::kGrantRole, Scope::kOrganization, kUsersRoles, kNone, kOver},
      {rpc::kRevokeRole, Scope::kOrganization, kUsersRoles, kNone, kOver},
      {rpc::kListAuditEvents, Scope::kOrganization, kAuditRead, kNone},
      {rpc::kWatchAuditEvents, Scope::kOrganization, kAuditRead, kNone},
      {rpc::kCreateRole, Scope::kOrganization, kRolesWrite, kNone},
      {rpc::kUpdateRole, Scope::kOrganization, kRolesWrite, kNone},
      {rpc::kDeleteRole, Scope::kOrganization, kRolesWrite, kNone},
      {rpc::kCreateGroup, Scope::kOrganization, kGroupsWrite, kNone},
      {rpc::kListGroups, Scope::kOrganization, kGroupsRead, kNone},
      {rpc::kDeleteGroup, Scope::kOrganization, kGroupsWrite, kNone},
      {rpc::kAddGroupMember, Scope::kOrganization, kGroupsWrite, kNone, kOver},
      {rpc::kRemoveGroupMember, Scope::kOrganization, kGroupsWrite, kNone, kOver},
      {rpc::kSetGroupRoles, Scope::kOrganization, kGroupsWrite, kNone},
      {rpc::kListRoles, Scope::kOrganization, kRolesRead, kNone},

      {rpc::kHealthCheck, Scope::kPublic, kNone, kNone},
      {rpc::kHealthWatch, Scope::kPublic, kNone, kNone},
      {rpc::kServerReflectionInfo, Scope::kPublic, kNone, kNone},
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

Target TargetFor(const storage::User& user) {
  Principal holder = PrincipalFor(user);
  return Target{user.organization_id, user.id, holder.global,
                std::move(holder.permissions)};
}

}  // namespace identity
