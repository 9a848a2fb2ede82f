#ifndef IDENTITY_SERVICES_ROLE_SERVICE_H_
#define IDENTITY_SERVICES_ROLE_SERVICE_H_

#include "application/organizations/custom_roles.h"
#include "application/organizations/groups.h"
#include "application/organizations/role_grants.h"
#include "identity/v1/role_service.grpc.pb.h"
#include "services/call.h"

namespace identity::services {

class RoleServiceImpl final : public v1::RoleService::Service {
 public:
  struct Deps {
    CallRunner* runner;
    RoleGrants* grants;
    CustomRoles* roles;
    Groups* groups;
  };
  explicit RoleServiceImpl(Deps deps) : d_(deps) {}

  grpc::Status ListRoles(grpc::ServerContext* ctx,
                         const v1::ListRolesRequest* req,
                         v1::ListRolesResponse* resp) override;
  grpc::Status GrantRole(grpc::ServerContext* ctx,
                         const v1::GrantRoleRequest* req,
                         v1::User* resp) override;
  grpc::Status RevokeRole(grpc::ServerContext* ctx,
                          const v1::RevokeRoleRequest* req,
                          v1::User* resp) override;
  grpc::Status CreateRole(grpc::ServerContext* ctx,
                          const v1::CreateRoleRequest* req,
                          v1::Role* resp) override;
  grpc::Status UpdateRole(grpc::ServerContext* ctx,
                          const v1::UpdateRoleRequest* req,
                          v1::Role* resp) override;
  grpc::Status DeleteRole(grpc::ServerContext* ctx,
                          const v1::DeleteRoleRequest* req,
                          v1::DeleteRoleResponse* resp) override;
  grpc::Status CreateGroup(grpc::ServerContext* ctx,
                           const v1::CreateGroupRequest* req,
                           v1::Group* resp) override;
  grpc::Status ListGroups(grpc::ServerContext* ctx,
                          const v1::ListGroupsRequest* req,
                          v1::ListGroupsResponse* resp) override;
  grpc::Status DeleteGroup(grpc::ServerContext* ctx,
                           const v1::DeleteGroupRequest* req,
                           v1::DeleteGroupResponse* resp) override;
  grpc::Status AddGroupMember(grpc::ServerContext* ctx,
                              const v1::AddGroupMemberRequest* req,
                              v1::Group* resp) override;
  grpc::Status RemoveGroupMember(grpc::ServerContext* ctx,
                                 const v1::RemoveGroupMemberRequest* req,
                                 v1::Group* resp) override;
  grpc::Status SetGroupRoles(grpc::ServerContext* ctx,
                             const v1::SetGroupRolesRequest* req,
                             v1::Group* resp) override;

 private:
  Deps d_;
};

}  // namespace identity::services

#endif  // IDENTITY_SERVICES_ROLE_SERVICE_H_
