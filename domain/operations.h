// The operations the authorization table decides on. Each is named by the
// full name of the RPC that exposes it, so that the table, the API and the
// access log speak of the same thing; the domain sees these names only,
// never a gRPC type.
#ifndef IDENTITY_DOMAIN_OPERATIONS_H_
#define IDENTITY_DOMAIN_OPERATIONS_H_

#include "absl/strings/string_view.h"

namespace identity::op {

inline constexpr absl::string_view kAuthenticate =
    "/identity.v1.AuthService/Authenticate";
inline constexpr absl::string_view kValidateToken =
    "/identity.v1.AuthService/ValidateToken";
inline constexpr absl::string_view kValidateApiKey =
    "/identity.v1.AuthService/ValidateApiKey";
inline constexpr absl::string_view kCheckPermission =
    "/identity.v1.AuthService/CheckPermission";
inline constexpr absl::string_view kBatchCheckPermissions =
    "/identity.v1.AuthService/BatchCheckPermissions";
inline constexpr absl::string_view kEnrollTotp =
    "/identity.v1.AuthService/EnrollTotp";
inline constexpr absl::string_view kConfirmTotp =
    "/identity.v1.AuthService/ConfirmTotp";
inline constexpr absl::string_view kDisableTotp =
    "/identity.v1.AuthService/DisableTotp";
inline constexpr absl::string_view kListSessions =
    "/identity.v1.AuthService/ListSessions";
inline constexpr absl::string_view kRevokeSession =
    "/identity.v1.AuthService/RevokeSession";
inline constexpr absl::string_view kCreateApiKey =
    "/identity.v1.ApiKeyService/CreateApiKey";
inline constexpr absl::string_view kListApiKeys =
    "/identity.v1.ApiKeyService/ListApiKeys";
inline constexpr absl::string_view kRevokeApiKey =
    "/identity.v1.ApiKeyService/RevokeApiKey";
inline constexpr absl::string_view kLogout = "/identity.v1.AuthService/Logout";
inline constexpr absl::string_view kCreateOrganization =
    "/identity.v1.OrganizationService/CreateOrganization";
inline constexpr absl::string_view kGetOrganization =
    "/identity.v1.OrganizationService/GetOrganization";
inline constexpr absl::string_view kListOrganizations =
    "/identity.v1.OrganizationService/ListOrganizations";
inline constexpr absl::string_view kUpdateOrganization =
    "/identity.v1.OrganizationService/UpdateOrganization";
inline constexpr absl::string_view kDeleteOrganization =
    "/identity.v1.OrganizationService/DeleteOrganization";
inline constexpr absl::string_view kMoveOrganizationContents =
    "/identity.v1.OrganizationService/MoveOrganizationContents";
inline constexpr absl::string_view kConfigureLdapProvider =
    "/identity.v1.OrganizationService/ConfigureLdapProvider";
inline constexpr absl::string_view kGetIdentityProvider =
    "/identity.v1.OrganizationService/GetIdentityProvider";
inline constexpr absl::string_view kConfigureSamlProvider =
    "/identity.v1.OrganizationService/ConfigureSamlProvider";
inline constexpr absl::string_view kBeginSamlLogin =
    "/identity.v1.AuthService/BeginSamlLogin";
inline constexpr absl::string_view kCompleteSamlLogin =
    "/identity.v1.AuthService/CompleteSamlLogin";
inline constexpr absl::string_view kGetSamlMetadata =
    "/identity.v1.AuthService/GetSamlMetadata";
inline constexpr absl::string_view kSyncLdapUsers =
    "/identity.v1.OrganizationService/SyncLdapUsers";
inline constexpr absl::string_view kTestIdentityProvider =
    "/identity.v1.OrganizationService/TestIdentityProvider";
inline constexpr absl::string_view kCreateUser =
    "/identity.v1.UserService/CreateUser";
inline constexpr absl::string_view kGetUser =
    "/identity.v1.UserService/GetUser";
inline constexpr absl::string_view kGetCurrentUser =
    "/identity.v1.UserService/GetCurrentUser";
inline constexpr absl::string_view kListUsers =
    "/identity.v1.UserService/ListUsers";
inline constexpr absl::string_view kUpdateUser =
    "/identity.v1.UserService/UpdateUser";
inline constexpr absl::string_view kDeleteUser =
    "/identity.v1.UserService/DeleteUser";
inline constexpr absl::string_view kEnableUser =
    "/identity.v1.UserService/EnableUser";
inline constexpr absl::string_view kDisableUser =
    "/identity.v1.UserService/DisableUser";
inline constexpr absl::string_view kSetPrimaryRole =
    "/identity.v1.UserService/SetPrimaryRole";
inline constexpr absl::string_view kChangePassword =
    "/identity.v1.UserService/ChangePassword";
inline constexpr absl::string_view kResetPassword =
    "/identity.v1.UserService/ResetPassword";
inline constexpr absl::string_view kInviteUser =
    "/identity.v1.UserService/InviteUser";
inline constexpr absl::string_view kResendInvitation =
    "/identity.v1.UserService/ResendInvitation";
inline constexpr absl::string_view kAcceptInvitation =
    "/identity.v1.UserService/AcceptInvitation";
inline constexpr absl::string_view kRegisterUser =
    "/identity.v1.UserService/RegisterUser";
inline constexpr absl::string_view kVerifyEmail =
    "/identity.v1.UserService/VerifyEmail";
inline constexpr absl::string_view kAcceptTermsOfUse =
    "/identity.v1.UserService/AcceptTermsOfUse";
inline constexpr absl::string_view kUnlockUser =
    "/identity.v1.UserService/UnlockUser";
inline constexpr absl::string_view kGrantRole =
    "/identity.v1.RoleService/GrantRole";
inline constexpr absl::string_view kRevokeRole =
    "/identity.v1.RoleService/RevokeRole";
inline constexpr absl::string_view kListAuditEvents =
    "/identity.v1.AuditService/ListAuditEvents";
inline constexpr absl::string_view kWatchAuditEvents =
    "/identity.v1.AuditService/WatchAuditEvents";
inline constexpr absl::string_view kCreateRole =
    "/identity.v1.RoleService/CreateRole";
inline constexpr absl::string_view kUpdateRole =
    "/identity.v1.RoleService/UpdateRole";
inline constexpr absl::string_view kDeleteRole =
    "/identity.v1.RoleService/DeleteRole";
inline constexpr absl::string_view kCreateGroup =
    "/identity.v1.RoleService/CreateGroup";
inline constexpr absl::string_view kListGroups =
    "/identity.v1.RoleService/ListGroups";
inline constexpr absl::string_view kDeleteGroup =
    "/identity.v1.RoleService/DeleteGroup";
inline constexpr absl::string_view kAddGroupMember =
    "/identity.v1.RoleService/AddGroupMember";
inline constexpr absl::string_view kRemoveGroupMember =
    "/identity.v1.RoleService/RemoveGroupMember";
inline constexpr absl::string_view kSetGroupRoles =
    "/identity.v1.RoleService/SetGroupRoles";
inline constexpr absl::string_view kListRoles =
    "/identity.v1.RoleService/ListRoles";
inline constexpr absl::string_view kHealthCheck =
    "/grpc.health.v1.Health/Check";
inline constexpr absl::string_view kHealthWatch =
    "/grpc.health.v1.Health/Watch";
inline constexpr absl::string_view kServerReflectionInfo =
    "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";

}  // namespace identity::op

#endif  // IDENTITY_DOMAIN_OPERATIONS_H_
