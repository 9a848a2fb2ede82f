#include "services/role_service.h"

#include "identity/authorizer.h"
#include "identity/roles.h"
#include "identity/rpc_names.h"

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
    }
    return absl::OkStatus();
  });
}

}  // namespace identity::services
