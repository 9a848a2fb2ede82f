#include "identity/authorizer.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
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
      // The credential in the request is what they check.
      {rpc::kCheckPermission, Scope::kPublic, kNone, kNone},
      {rpc::kBatchCheckPermissions, Scope::kPublic, kNone, kNone},
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

Decision Denied(Refusal refusal, absl::string_view method,
                absl::string_view why) {
  return {refusal, absl::StrCat("permission denied for ",
                                method.substr(method.rfind('/') + 1), ": ",
                                why)};
}

// While a step such as a password change is pending, a credential reaches
// only the RPCs that complete it or that a client needs to show it.
Decision PendingSteps(absl::string_view method, const Principal& principal) {
  if (principal.required_actions.empty()) return {};
  for (absl::string_view allowed :
       {rpc::kChangePassword, rpc::kAcceptTermsOfUse, rpc::kEnrollTotp,
        rpc::kConfirmTotp, rpc::kGetCurrentUser, rpc::kLogout,
        rpc::kValidateToken}) {
    if (method == allowed) return {};
  }
  std::vector<std::string> steps;
  for (const std::string& action : principal.required_actions) {
    steps.push_back(
        action == kChangePassword ? "CHANGE_PASSWORD (call ChangePassword)"
        : action == kEnrollTotp
            ? "ENROLL_TOTP (call EnrollTotp, then ConfirmTotp)"
            : "ACCEPT_TERMS_OF_USE (call AcceptTermsOfUse)");
  }
  const std::string& first = principal.required_actions.front();
  return {first == kChangePassword ? Refusal::kPasswordChangeRequired
          : first == kEnrollTotp   ? Refusal::kTotpEnrollmentRequired
                                   : Refusal::kTermsNotAccepted,
          absl::StrCat("this session must first complete: ",
                       absl::StrJoin(steps, ", "))};
}

// The principal lacks `permission`: KEY_SCOPE when it is an API key whose
// owner holds it (the scope left it out), NO_PERMISSION otherwise.
Decision Lacks(absl::string_view method, const Principal& principal,
               absl::string_view permission) {
  if (!principal.api_key_id.empty() &&
      PrincipalFor(principal.user).Has(permission)) {
    return Denied(Refusal::kKeyScope, method,
                  absl::StrCat("the API key's scope lacks ", permission));
  }
  return Denied(Refusal::kNoPermission, method,
                absl::StrCat("needs ", permission));
}

// Power over another account may not reach beyond the caller's own: a
// narrow role (say, only api_keys.manage) must not become an ADMIN by
// acting as one. Permissions over one's own account (self.*) are personal
// and not compared.
Decision CheckOverAccount(const RpcRule& rule, const Principal& principal,
                          const Target& target) {
  if (!rule.over_account || target.user_id.empty() ||
      target.user_id == principal.user.id) {
    return {};
  }
  for (const std::string& held : target.user_permissions) {
    if (absl::StartsWith(held, "self.") || principal.Has(held)) continue;
    return Denied(Refusal::kAccountNotCovered, rule.method,
                  absl::StrCat("the account holds '", held,
                               "', which the caller does not; only "
                               "someone holding every permission of "
                               "an account may act on it"));
  }
  return {};
}

// Before the object is known: can the principal hold the rule's permission
// in any scope?
Decision Admission(const RpcRule& rule, const Principal* principal) {
  if (rule.scope == Scope::kPublic) return {};
  if (principal == nullptr) {
    return {Refusal::kUnauthenticated,
            "missing or invalid credential: send 'authorization: Bearer "
            "<token>'"};
  }
  if (Decision pending = PendingSteps(rule.method, *principal);
      !pending.allowed()) {
    return pending;
  }
  if (rule.scope == Scope::kAuthenticated) {
    // An API key reaches even these only when its scope allows it: a key
    // scoped to calling platform APIs must not enroll a second factor or
    // accept terms in its owner's name.
    if (principal->api_key_id.empty() || rule.self_permission.empty() ||
        principal->Has(rule.self_permission)) {
      return {};
    }
    return Denied(Refusal::kKeyScope, rule.method,
                  absl::StrCat("the API key's scope lacks ",
                               rule.self_permission));
  }
  if (!rule.self_permission.empty() && principal->Has(rule.self_permission)) {
    return {};
  }
  if (!rule.permission.empty() && principal->Has(rule.permission)) {
    if (rule.scope != Scope::kGlobal || principal->global) return {};
    return Denied(Refusal::kGlobalRoleRequired, rule.method,
                  "needs a global role");
  }
  return Lacks(rule.method, *principal,
               rule.permission.empty() ? rule.self_permission
                                       : rule.permission);
}

// Once the object is known: the organization, the account and its holder.
Decision OnTarget(const RpcRule& rule, const Principal& principal,
                  const Target& target) {
  const bool is_self =
      !target.user_id.empty() && target.user_id == principal.user.id;
  if (is_self && !rule.self_permission.empty() &&
      principal.Has(rule.self_permission)) {
    return {};
  }
  if (rule.scope == Scope::kSelf) {
    return Denied(Refusal::kOwnAccountOnly, rule.method,
                  "acts only on the caller's own account");
  }
  if (rule.permission.empty() || !principal.Has(rule.permission)) {
    return Lacks(rule.method, principal, rule.permission);
  }
  if (principal.global) return CheckOverAccount(rule, principal, target);
  if (rule.scope == Scope::kGlobal) {
    return Denied(Refusal::kGlobalRoleRequired, rule.method,
                  "needs a global role");
  }
  if (target.organization_id != principal.user.organization_id) {
    return Denied(Refusal::kOtherOrganization, rule.method,
                  "the object belongs to another organization");
  }
  if (target.user_is_global) {
    return Denied(Refusal::kGlobalTarget, rule.method,
                  "only a global admin can act on a global admin");
  }
  return CheckOverAccount(rule, principal, target);
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

absl::Status Decision::ToStatus() const {
  switch (refusal) {
    case Refusal::kNone:
      return absl::OkStatus();
    case Refusal::kUnauthenticated:
      return absl::UnauthenticatedError(message);
    case Refusal::kPasswordChangeRequired:
    case Refusal::kTermsNotAccepted:
    case Refusal::kTotpEnrollmentRequired:
      return absl::FailedPreconditionError(message);
    case Refusal::kUnknownMethod:
      return absl::InternalError("internal error");
    default:
      return absl::PermissionDeniedError(message);
  }
}

Decision Decide(const RpcRule& rule, const Principal* principal,
                const Target* target) {
  Decision admitted = Admission(rule, principal);
  if (!admitted.allowed() || target == nullptr ||
      rule.scope == Scope::kPublic || rule.scope == Scope::kAuthenticated) {
    return admitted;
  }
  return OnTarget(rule, *principal, *target);
}

RpcRule PermissionRule(absl::string_view method, absl::string_view permission) {
  return {method,
          perm::IsGlobalOnly(permission) ? Scope::kGlobal
                                         : Scope::kOrganization,
          permission, absl::string_view()};
}

absl::Status Admit(absl::string_view method, const Principal* principal) {
  const RpcRule* rule = FindRpcRule(method);
  if (rule == nullptr) {
    log::Error("authz.unknown_method", {{"method", method}});
    return Decision{Refusal::kUnknownMethod, ""}.ToStatus();
  }
  return Decide(*rule, principal, nullptr).ToStatus();
}

absl::Status Check(absl::string_view method, const Principal& principal,
                   const Target& target) {
  const RpcRule* rule = FindRpcRule(method);
  if (rule == nullptr) return Admit(method, &principal);
  return Decide(*rule, &principal, &target).ToStatus();
}

Target TargetFor(const storage::User& user) {
  Principal holder = PrincipalFor(user);
  return Target{user.organization_id, user.id, holder.global,
                std::move(holder.permissions)};
}

}  // namespace identity
