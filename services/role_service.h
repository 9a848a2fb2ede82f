#ifndef IDENTITY_SERVICES_ROLE_SERVICE_H_
#define IDENTITY_SERVICES_ROLE_SERVICE_H_

#include "identity/v1/role_service.grpc.pb.h"
#include "services/call.h"

namespace identity::services {

class RoleServiceImpl final : public v1::RoleService::Service {
 public:
  explicit RoleServiceImpl(CallRunner* runner) : runner_(runner) {}

  grpc::Status ListRoles(grpc::ServerContext* ctx,
                         const v1::ListRolesRequest* req,
                         v1::ListRolesResponse* resp) override;

 private:
  CallRunner* runner_;
};

}  // namespace identity::services

#endif  // IDENTITY_SERVICES_ROLE_SERVICE_H_
