#ifndef IDENTITY_SERVICES_ROLE_SERVICE_H_
#define IDENTITY_SERVICES_ROLE_SERVICE_H_

#include "identity/role_grants.h"
#include "identity/v1/role_service.grpc.pb.h"
#include "services/call.h"

namespace identity::services {

class RoleServiceImpl final : public v1::RoleService::Service {
 public:
  RoleServiceImpl(CallRunner* runner, RoleGrants* grants)
      : runner_(runner), grants_(grants) {}

  grpc::Status ListRoles(grpc::ServerContext* ctx,
                         const v1::ListRolesRequest* req,
                         v1::ListRolesResponse* resp) override;
  grpc::Status GrantRole(grpc::ServerContext* ctx,
                         const v1::GrantRoleRequest* req,
                         v1::User* resp) override;
  grpc::Status RevokeRole(grpc::ServerContext* ctx,
                          const v1::RevokeRoleRequest* req,
                          v1::User* resp) override;

 private:
  CallRunner* runner_;
  RoleGrants* grants_;
};

}  // namespace identity::services

#endif  // IDENTITY_SERVICES_ROLE_SERVICE_H_
