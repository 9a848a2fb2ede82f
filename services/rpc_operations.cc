#include "services/rpc_operations.h"

#include "absl/container/flat_hash_map.h"
#include "domain/operations.h"

namespace identity::services {
namespace {

constexpr RpcOperation kRpcOperations[] = {
    {"/identity.v1.AuthService/Authenticate", op::kAuthenticate},
    {"/identity.v1.AuthService/ValidateToken", op::kValidateToken},
    {"/identity.v1.AuthService/ValidateApiKey", op::kValidateApiKey},
    {"/identity.v1.AuthService/CheckPermission", op::kCheckPermission},
    {"/identity.v1.AuthService/BatchCheckPermissions",
     op::kBatchCheckPermissions},
    {"/identity.v1.AuthService/EnrollTotp", op::kEnrollTotp},
    {"/identity.v1.AuthService/ConfirmTotp", op::kConfirmTotp},
    {"/identity.v1.AuthService/DisableTotp", op::kDisableTotp},
    {"/identity.v1.AuthService/ListSessions", op::kListSessions},
    {"/identity.v1.AuthService/RevokeSession", op::kRevokeSession},
    {"/identity.v1.AuthService/Logout", op::kLogout},
    {"/identity.v1.AuthService/BeginSamlLogin", op::kBeginSamlLogin},
    {"/identity.v1.AuthService/CompleteSamlLogin", op::kCompleteSamlLogin},
    {"/identity.v1.AuthService/GetSamlMetadata", op::kGetSamlMetadata},

    {"/identity.v1.ApiKeyService/CreateApiKey", op::kCreateApiKey},
    {"/identity.v1.ApiKeyService/ListApiKeys", op::kListApiKeys},
    {"/identity.v1.ApiKeyService/RevokeApiKey", op::kRevokeApiKey},

    {"/identity.v1.OrganizationService/CreateOrganization",
     op::kCreateOrganization},
    {"/identity.v1.OrganizationService/GetOrganization", op::kGetOrganization},
    {"/identity.v1.OrganizationService/ListOrganizations",
     op::kListOrganizations},
    {"/identity.v1.OrganizationService/UpdateOrganization",
     op::kUpdateOrganization},
    {"/identity.v1.OrganizationService/DeleteOrganization",
     op::kDeleteOrganization},
    {"/identity.v1.OrganizationService/MoveOrganizationContents",
     op::kMoveOrganizationContents},
    {"/identity.v1.OrganizationService/ConfigureLdapProvider",
     op::kConfigureLdapProvider},
    {"/identity.v1.OrganizationService/GetIdentityProvider",
     op::kGetIdentityProvider},
    {"/identity.v1.OrganizationService/ConfigureSamlProvider",
     op::kConfigureSamlProvider},
    {"/identity.v1.OrganizationService/ConfigureIdentityProvider",
     op::kConfigureIdentityProvider},
    {"/identity.v1.OrganizationService/SyncLdapUsers", op::kSyncLdapUsers},
    {"/identity.v1.OrganizationService/TestIdentityProvider",
     op::kTestIdentityProvider},

    {"/identity.v1.UserService/CreateUser", op::kCreateUser},
    {"/identity.v1.UserService/GetUser", op::kGetUser},
    {"/identity.v1.UserService/GetCurrentUser", op::kGetCurrentUser},
    {"/identity.v1.UserService/ListUsers", op::kListUsers},
    {"/identity.v1.UserService/UpdateUser", op::kUpdateUser},
    {"/identity.v1.UserService/DeleteUser", op::kDeleteUser},
    {"/identity.v1.UserService/EnableUser", op::kEnableUser},
    {"/identity.v1.UserService/DisableUser", op::kDisableUser},
    {"/identity.v1.UserService/SetPrimaryRole", op::kSetPrimaryRole},
    {"/identity.v1.UserService/ChangePassword", op::kChangePassword},
    {"/identity.v1.UserService/ResetPassword", op::kResetPassword},
    {"/identity.v1.UserService/InviteUser", op::kInviteUser},
    {"/identity.v1.UserService/ResendInvitation", op::kResendInvitation},
    {"/identity.v1.UserService/AcceptInvitation", op::kAcceptInvitation},
    {"/identity.v1.UserService/RegisterUser", op::kRegisterUser},
    {"/identity.v1.UserService/VerifyEmail", op::kVerifyEmail},
    {"/identity.v1.UserService/AcceptTermsOfUse", op::kAcceptTermsOfUse},
    {"/identity.v1.UserService/UnlockUser", op::kUnlockUser},

    {"/identity.v1.RoleService/GrantRole", op::kGrantRole},
    {"/identity.v1.RoleService/RevokeRole", op::kRevokeRole},
    {"/identity.v1.RoleService/CreateRole", op::kCreateRole},
    {"/identity.v1.RoleService/UpdateRole", op::kUpdateRole},
    {"/identity.v1.RoleService/DeleteRole", op::kDeleteRole},
    {"/identity.v1.RoleService/CreateGroup", op::kCreateGroup},
    {"/identity.v1.RoleService/ListGroups", op::kListGroups},
    {"/identity.v1.RoleService/DeleteGroup", op::kDeleteGroup},
    {"/identity.v1.RoleService/AddGroupMember", op::kAddGroupMember},
    {"/identity.v1.RoleService/RemoveGroupMember", op::kRemoveGroupMember},
    {"/identity.v1.RoleService/SetGroupRoles", op::kSetGroupRoles},
    {"/identity.v1.RoleService/ListRoles", op::kListRoles},

    {"/identity.v1.AuditService/ListAuditEvents", op::kListAuditEvents},
    {"/identity.v1.AuditService/WatchAuditEvents", op::kWatchAuditEvents},
};

}  // namespace

absl::Span<const RpcOperation> RpcOperations() { return kRpcOperations; }

absl::string_view RpcMethodOf(absl::string_view operation) {
  static const auto* kByOperation = [] {
    auto* by_operation =
        new absl::flat_hash_map<absl::string_view, absl::string_view>;
    for (const RpcOperation& rpc : kRpcOperations) {
      by_operation->emplace(rpc.operation, rpc.method);
    }
    return by_operation;
  }();
  auto it = kByOperation->find(operation);
  return it == kByOperation->end() ? absl::string_view() : it->second;
}

}  // namespace identity::services
