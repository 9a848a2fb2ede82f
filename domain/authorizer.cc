#include "domain/authorizer.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/error_info.h"
#include "common/error_reasons.h"
#include "common/log.h"
#include "domain/operations.h"
#include "domain/permissions.h"
#include "domain/roles.h"

namespace identity {
namespace {

// The authorization table: data, in a namespace of its own so that the
// permission names read unqualified without leaking into the code below.
namespace table {
using namespace perm;  // NOLINT: the table reads better unqualified
constexpr absl::string_view kNone;
constexpr bool kOver = true;     // over_account
constexpr bool kOverOrg = true;  // over_organization
constexpr OperationRule kRules[] = {
    {op::kAuthenticate, Scope::kPublic, kNone, kNone},
    {op::kValidateToken, Scope::kPublic, kNone, kNone},
    {op::kLogout, Scope::kAuthenticated, kNone, kNone},
    {op::kValidateApiKey, Scope::kPublic, kNone, kNone},
    // The credential in the request is what they check.
    {op::kCheckPermission, Scope::kPublic, kNone, kNone},
    {op::kBatchCheckPermissions, Scope::kPublic, kNone, kNone},
    {op::kEnrollTotp, Scope::kAuthenticated, kNone, kSelfUpdate},
    {op::kConfirmTotp, Scope::kAuthenticated, kNone, kSelfUpdate},
    {op::kDisableTotp, Scope::kOrganization, kUsersStatus, kSelfUpdate, kOver},
    {op::kListSessions, Scope::kOrganization, kUsersRead, kSelfRead, kOver},
    {op::kRevokeSession, Scope::kOrganization, kUsersStatus, kSelfUpdate,
     kOver},

    {op::kCreateApiKey, Scope::kOrganization, kApiKeysManage, kSelfApiKeys,
     kOver},
    {op::kListApiKeys, Scope::kOrganization, kApiKeysManage, kSelfApiKeys,
     kOver},
    {op::kRevokeApiKey, Scope::kOrganization, kApiKeysManage, kSelfApiKeys,
     kOver},

    {op::kCreateOrganization, Scope::kGlobal, kOrganizationsCreate, kNone},
    {op::kGetOrganization, Scope::kOrganization, kOrganizationsRead, kNone},
    {op::kListOrganizations, Scope::kOrganization, kOrganizationsRead, kNone},
    {op::kUpdateOrganization, Scope::kOrganization, kOrganizationsWrite, kNone},
    {op::kDeleteOrganization, Scope::kGlobal, kOrganizationsDelete, kNone},
    {op::kMoveOrganizationContents, Scope::kGlobal, kOrganizationsMove, kNone},
    {op::kConfigureLdapProvider, Scope::kOrganization, kOrganizationsWrite,
     kNone, false, kOverOrg},
    {op::kGetIdentityProvider, Scope::kOrganization, kOrganizationsRead, kNone},
    {op::kTestIdentityProvider, Scope::kOrganization, kOrganizationsWrite,
     kNone},
    {op::kSyncLdapUsers, Scope::kOrganization, kOrganizationsWrite, kNone},
    {op::kConfigureSamlProvider, Scope::kOrganization, kOrganizationsWrite,
     kNone, false, kOverOrg},
    {op::kConfigureIdentityProvider, Scope::kOrganization, kOrganizationsWrite,
     kNone, false, kOverOrg},
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
    {op::kResetPassword, Scope::kOrganization, kUsersPasswordReset, kNone,
     kOver},

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
    {op::kWatchAuditEvents, Scope::kOrganization, kAuditRead, kNone},
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
};
}  // namespace table

// `permission`: the one the caller lacks, when one is the reason.
Decision Denied(Refusal refusal, absl::string_view operation,
                absl::string_view why, absl::string_view permission = "") {
  return {refusal, absl::StrCat("permission denied for ", operation, ": ", why),
          std::string(operation), std::string(permission)};
}

// While a step such as a password change is pending, a credential reaches
// only the operations that complete it or that a client needs to show it.
Decision PendingSteps(absl::string_view operation, const Principal& principal) {
  if (principal.required_actions.empty()) return {};
  for (absl::string_view allowed :
       {op::kChangePassword, op::kAcceptTermsOfUse, op::kEnrollTotp,
        op::kConfirmTotp, op::kGetCurrentUser, op::kLogout,
        op::kValidateToken}) {
    if (operation == allowed) return {};
  }
  std::vector<std::string> steps;
  for (const std::string& action : principal.required_actions) {
    steps.push_back(action == kChangePassword
                        ? "CHANGE_PASSWORD (call ChangePassword)"
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
// owner holds it (the scope left it out), NO_PERMISSION otherwise. The
// owner's permissions come with the principal: rebuilding them here cost a
// batch of refused checks ten times what the checks cost.
Decision Lacks(absl::string_view operation, const Principal& principal,
               absl::string_view permission) {
  if (!principal.api_key_id.empty() && principal.OnlyOwnerHas(permission)) {
    return Denied(Refusal::kKeyScope, operation,
                  absl::StrCat("the API key's scope lacks ", permission),
                  permission);
  }
  return Denied(Refusal::kNoPermission, operation,
                absl::StrCat("needs ", permission), permission);
}

// The first of `permissions` the principal lacks, or "" when it holds them
// all. Permissions over one's own account (self.*) are personal, not power
// over others, and are not compared.
template <typename Permissions>
absl::string_view FirstNotHeld(const Principal& principal,
                               const Permissions& permissions) {
  for (absl::string_view p : permissions) {
    if (!absl::StartsWith(p, "self.") && !principal.Has(p)) return p;
  }
  return {};
}

// Power over another account may not reach beyond the caller's own: a
// narrow role (say, only api_keys.manage) must not become an ADMIN by
// acting as one.
Decision CheckOverAccount(const OperationRule& rule, const Principal& principal,
                          const Target& target) {
  if (!rule.over_account || target.user_id.empty() ||
      target.user_id == principal.user.id) {
    return {};
  }
  const absl::string_view held = FirstNotHeld(principal, target.user_permissions);
  if (held.empty()) return {};
  return Denied(Refusal::kAccountNotCovered, rule.operation,
                absl::StrCat("the account holds '", held,
                             "', which the caller does not; only "
                             "someone holding every permission of "
                             "an account may act on it"),
                held);
}

// Who configures a provider decides who logs in as the organization's users
// (pointed at a server of one's own, it logs one in as any of them): a
// narrow role holding organizations.write must not become every user of the
// directory, ADMINs included.
Decision CheckOverOrganization(const OperationRule& rule,
                               const Principal& principal) {
  if (!rule.over_organization) return {};
  const absl::string_view held =
      FirstNotHeld(principal, FindBuiltInRole(kAdmin)->permissions);
  if (held.empty()) return {};
  return Denied(Refusal::kAccountNotCovered, rule.operation,
                absl::StrCat("it decides who logs in as the organization's "
                             "users, so it needs every permission an ADMIN "
                             "holds; the caller lacks '",
                             held, "'"),
                held);
}

// Before the object is known: can the principal hold the rule's permission
// in any scope?
Decision Admission(const OperationRule& rule, const Principal* principal) {
  if (rule.scope == Scope::kPublic) return {};
  if (principal == nullptr) {
    return {Refusal::kUnauthenticated,
            "missing or invalid credential: send 'authorization: Bearer "
            "<token>'"};
  }
  if (Decision pending = PendingSteps(rule.operation, *principal);
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
    return Denied(
        Refusal::kKeyScope, rule.operation,
        absl::StrCat("the API key's scope lacks ", rule.self_permission),
        rule.self_permission);
  }
  if (!rule.self_permission.empty() && principal->Has(rule.self_permission)) {
    return {};
  }
  if (!rule.permission.empty() && principal->Has(rule.permission)) {
    if (rule.scope != Scope::kGlobal || principal->global) return {};
    return Denied(Refusal::kGlobalRoleRequired, rule.operation,
                  "needs a global role");
  }
  return Lacks(
      rule.operation, *principal,
      rule.permission.empty() ? rule.self_permission : rule.permission);
}

// Once the object is known: the organization, the account and its holder.
Decision OnTarget(const OperationRule& rule, const Principal& principal,
                  const Target& target) {
  const bool is_self =
      !target.user_id.empty() && target.user_id == principal.user.id;
  if (is_self && !rule.self_permission.empty() &&
      principal.Has(rule.self_permission)) {
    return {};
  }
  if (rule.scope == Scope::kSelf) {
    return Denied(Refusal::kOwnAccountOnly, rule.operation,
                  "acts only on the caller's own account");
  }
  if (rule.permission.empty() || !principal.Has(rule.permission)) {
    return Lacks(rule.operation, principal, rule.permission);
  }
  if (Decision d = CheckOverOrganization(rule, principal); !d.allowed()) {
    return d;
  }
  if (principal.global) return CheckOverAccount(rule, principal, target);
  if (rule.scope == Scope::kGlobal) {
    return Denied(Refusal::kGlobalRoleRequired, rule.operation,
                  "needs a global role");
  }
  if (target.organization_id != principal.user.organization_id) {
    return Denied(Refusal::kOtherOrganization, rule.operation,
                  "the object belongs to another organization");
  }
  if (target.user_is_global) {
    return Denied(Refusal::kGlobalTarget, rule.operation,
                  "only a global admin can act on a global admin");
  }
  return CheckOverAccount(rule, principal, target);
}

}  // namespace

const std::vector<OperationRule>& OperationRules() {
  static const auto* kRules = new std::vector<OperationRule>(
      std::begin(table::kRules), std::end(table::kRules));
  return *kRules;
}

const OperationRule* FindOperationRule(absl::string_view operation) {
  // Every call looks its rule up, some twice: by hash, not a walk of the
  // table's seventy-odd names.
  static const auto* kByOperation = [] {
    auto* by_operation =
        new absl::flat_hash_map<absl::string_view, const OperationRule*>;
    for (const OperationRule& rule : OperationRules())
      by_operation->emplace(rule.operation, &rule);
    return by_operation;
  }();
  auto it = kByOperation->find(operation);
  return it == kByOperation->end() ? nullptr : it->second;
}

absl::Status Decision::ToStatus() const {
  // The stable reason a program acts on, with the operation (under the key
  // "method": the API calls it by the RPC's name) and the permission
  // it lacked; the message stays human text.
  auto denied = [this](absl::string_view reason) {
    absl::Status s = absl::PermissionDeniedError(message);
    if (permission.empty())
      return WithReason(s, reason, {{"method", operation}});
    return WithReason(s, reason,
                      {{"method", operation}, {"permission", permission}});
  };
  switch (refusal) {
    case Refusal::kNone:
      return absl::OkStatus();
    case Refusal::kUnauthenticated:
      return WithReason(absl::UnauthenticatedError(message),
                        reason::kCredentialInvalid);
    case Refusal::kPasswordChangeRequired:
    case Refusal::kTermsNotAccepted:
    case Refusal::kTotpEnrollmentRequired:
      return WithReason(absl::FailedPreconditionError(message),
                        reason::kActionRequired);
    case Refusal::kUnknownOperation:
      return absl::InternalError("internal error");
    case Refusal::kOutsideTrustedIps:
      return denied(reason::kUntrustedAddress);
    case Refusal::kKeyScope:
      return denied(reason::kApiKeyScope);
    case Refusal::kOtherOrganization:
      return denied(reason::kOtherOrganization);
    case Refusal::kGlobalRoleRequired:
    case Refusal::kGlobalTarget:
      return denied(reason::kGlobalRoleRequired);
    case Refusal::kAccountNotCovered:
      return denied(reason::kTargetHoldsMore);
    case Refusal::kNoPermission:
    case Refusal::kOwnAccountOnly:
      break;
  }
  return denied(reason::kPermissionMissing);
}

Decision Decide(const OperationRule& rule, const Principal* principal,
                const Target* target) {
  Decision admitted = Admission(rule, principal);
  if (!admitted.allowed() || target == nullptr ||
      rule.scope == Scope::kPublic || rule.scope == Scope::kAuthenticated) {
    return admitted;
  }
  return OnTarget(rule, *principal, *target);
}

OperationRule PermissionRule(absl::string_view operation,
                             absl::string_view permission) {
  return {
      operation,
      perm::IsGlobalOnly(permission) ? Scope::kGlobal : Scope::kOrganization,
      permission, absl::string_view()};
}

absl::Status Admit(absl::string_view operation, const Principal* principal) {
  const OperationRule* rule = FindOperationRule(operation);
  if (rule == nullptr) {
    log::Error("authz.unknown_operation", {{"operation", operation}});
    return Decision{Refusal::kUnknownOperation, ""}.ToStatus();
  }
  return Decide(*rule, principal, nullptr).ToStatus();
}

absl::Status Check(absl::string_view operation, const Principal& principal,
                   const Target& target) {
  const OperationRule* rule = FindOperationRule(operation);
  if (rule == nullptr) return Admit(operation, &principal);
  return Decide(*rule, &principal, &target).ToStatus();
}

Target TargetFor(const domain::User& user) {
  Principal holder = PrincipalFor(user);
  return Target{user.organization_id, user.id, holder.global,
                std::move(holder.permissions)};
}

}  // namespace identity
