// The operations the authorization table decides on, named as the domain
// names its use cases. The API happens to expose each through an RPC of the
// same name, so that a refusal names what the caller called; which RPC
// performs which operation is the services layer's table, and the domain
// knows no gRPC name.
#ifndef IDENTITY_DOMAIN_OPERATIONS_H_
#define IDENTITY_DOMAIN_OPERATIONS_H_

#include "absl/strings/string_view.h"

namespace identity::op {

inline constexpr absl::string_view kAuthenticate = "Authenticate";
inline constexpr absl::string_view kValidateToken = "ValidateToken";
inline constexpr absl::string_view kValidateApiKey = "ValidateApiKey";
inline constexpr absl::string_view kCheckPermission = "CheckPermission";
inline constexpr absl::string_view kBatchCheckPermissions =
    "BatchCheckPermissions";
inline constexpr absl::string_view kEnrollTotp = "EnrollTotp";
inline constexpr absl::string_view kConfirmTotp = "ConfirmTotp";
inline constexpr absl::string_view kDisableTotp = "DisableTotp";
inline constexpr absl::string_view kListSessions = "ListSessions";
inline constexpr absl::string_view kRevokeSession = "RevokeSession";
inline constexpr absl::string_view kCreateApiKey = "CreateApiKey";
inline constexpr absl::string_view kListApiKeys = "ListApiKeys";
inline constexpr absl::string_view kRevokeApiKey = "RevokeApiKey";
inline constexpr absl::string_view kLogout = "Logout";
inline constexpr absl::string_view kCreateOrganization = "CreateOrganization";
inline constexpr absl::string_view kGetOrganization = "GetOrganization";
inline constexpr absl::string_view kListOrganizations = "ListOrganizations";
inline constexpr absl::string_view kUpdateOrganization = "UpdateOrganization";
inline constexpr absl::string_view kDeleteOrganization = "DeleteOrganization";
inline constexpr absl::string_view kMoveOrganizationContents =
    "MoveOrganizationContents";
inline constexpr absl::string_view kConfigureLdapProvider =
    "ConfigureLdapProvider";
inline constexpr absl::string_view kGetIdentityProvider = "GetIdentityProvider";
inline constexpr absl::string_view kConfigureSamlProvider =
    "ConfigureSamlProvider";
inline constexpr absl::string_view kConfigureIdentityProvider =
    "ConfigureIdentityProvider";
inline constexpr absl::string_view kBeginSamlLogin = "BeginSamlLogin";
inline constexpr absl::string_view kCompleteSamlLogin = "CompleteSamlLogin";
inline constexpr absl::string_view kGetSamlMetadata = "GetSamlMetadata";
inline constexpr absl::string_view kSyncLdapUsers = "SyncLdapUsers";
inline constexpr absl::string_view kTestIdentityProvider =
    "TestIdentityProvider";
inline constexpr absl::string_view kCreateUser = "CreateUser";
inline constexpr absl::string_view kGetUser = "GetUser";
inline constexpr absl::string_view kGetCurrentUser = "GetCurrentUser";
inline constexpr absl::string_view kListUsers = "ListUsers";
inline constexpr absl::string_view kUpdateUser = "UpdateUser";
inline constexpr absl::string_view kDeleteUser = "DeleteUser";
inline constexpr absl::string_view kEnableUser = "EnableUser";
inline constexpr absl::string_view kDisableUser = "DisableUser";
inline constexpr absl::string_view kSetPrimaryRole = "SetPrimaryRole";
inline constexpr absl::string_view kChangePassword = "ChangePassword";
inline constexpr absl::string_view kResetPassword = "ResetPassword";
inline constexpr absl::string_view kInviteUser = "InviteUser";
inline constexpr absl::string_view kResendInvitation = "ResendInvitation";
inline constexpr absl::string_view kAcceptInvitation = "AcceptInvitation";
inline constexpr absl::string_view kRegisterUser = "RegisterUser";
inline constexpr absl::string_view kVerifyEmail = "VerifyEmail";
inline constexpr absl::string_view kAcceptTermsOfUse = "AcceptTermsOfUse";
inline constexpr absl::string_view kUnlockUser = "UnlockUser";
inline constexpr absl::string_view kGrantRole = "GrantRole";
inline constexpr absl::string_view kRevokeRole = "RevokeRole";
inline constexpr absl::string_view kListAuditEvents = "ListAuditEvents";
inline constexpr absl::string_view kWatchAuditEvents = "WatchAuditEvents";
inline constexpr absl::string_view kCreateRole = "CreateRole";
inline constexpr absl::string_view kUpdateRole = "UpdateRole";
inline constexpr absl::string_view kDeleteRole = "DeleteRole";
inline constexpr absl::string_view kCreateGroup = "CreateGroup";
inline constexpr absl::string_view kListGroups = "ListGroups";
inline constexpr absl::string_view kDeleteGroup = "DeleteGroup";
inline constexpr absl::string_view kAddGroupMember = "AddGroupMember";
inline constexpr absl::string_view kRemoveGroupMember = "RemoveGroupMember";
inline constexpr absl::string_view kSetGroupRoles = "SetGroupRoles";
inline constexpr absl::string_view kListRoles = "ListRoles";

}  // namespace identity::op

#endif  // IDENTITY_DOMAIN_OPERATIONS_H_
