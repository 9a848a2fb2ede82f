#include "services/role_service.h"

#include "identity/authorizer.h"
#include "identity/roles.h"
#include "identity/rpc_names.h"
#include "services/converters.h"

namespace identity::services {

grpc::Status RoleServiceImpl::ListRoles(grpc::ServerContext* ctx,
                                        const v1::ListRolesRequest* req,
                                        v1::ListRolesResponse* resp) {
  return runner_->Run(ctx, rpc::kListRoles, [&](const Caller& c) {
    absl::Status allowed = Check(rpc::kListRoles, *c.principal,
                                 Target{c.principal->user.organization_id});
    if (!allowed.ok()) return allowed;
    for (const RoleDefinition& def : BuiltInRoles()) {
      v1::Role* role = resp->add_roles();
      role->set_name(std::string(def.name));
      role->set_description(std::string(def.description));
      for (absl::string_view p : def.permissions) {
        role->add_permissions(std::string(p));
      }
      role->set_global(def.global);
      role->set_built_in(true);
      role->set_primary(def.primary);
    }
    return absl::OkStatus();
  });
}

grpc::Status RoleServiceImpl::GrantRole(grpc::ServerContext* ctx,
                                        const v1::GrantRoleRequest* req,
                                        v1::User* resp) {
  return runner_->Run(ctx, rpc::kGrantRole, [&](const Caller& c) {
    absl::StatusOr<storage::User> user =
        grants_->Grant(c, req->user_id(), req->role());
    if (!user.ok()) return user.status();
    ToProto(*user, resp);
    return absl::OkStatus();
  });
}

grpc::Status RoleServiceImpl::RevokeRole(grpc::ServerContext* ctx,
                                         const v1::RevokeRoleRequest* req,
                                         v1::User* resp) {
  return runner_->Run(ctx, rpc::kRevokeRole, [&](const Caller& c) {
    absl::StatusOr<storage::User> user =
        grants_->Revoke(c, req->user_id(), req->role());
    if (!user.ok()) return user.status();
    ToProto(*user, resp);
    return absl::OkStatus();
  });
}

}  // namespace identity::services
