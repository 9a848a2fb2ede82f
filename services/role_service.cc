#include "services/role_service.h"

#include "domain/authorizer.h"
#include "domain/roles.h"
#include "domain/operations.h"
#include "services/converters.h"

namespace identity::services {
grpc::Status RoleServiceImpl::ListRoles(grpc::ServerContext* ctx,
                                        const v1::ListRolesRequest* req,
                                        v1::ListRolesResponse* resp) {
  return d_.runner->Run(ctx, op::kListRoles, *req, [&](const Caller& c) {
    absl::StatusOr<std::vector<domain::CustomRole>> custom =
        d_.roles->List(c, req->organization_id());
    if (!custom.ok()) return custom.status();
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
    for (const domain::CustomRole& r : *custom) ToProto(r, resp->add_roles());
    return absl::OkStatus();
  });
}

grpc::Status RoleServiceImpl::GrantRole(grpc::ServerContext* ctx,
                                        const v1::GrantRoleRequest* req,
                                        v1::User* resp) {
  return d_.runner->Run(ctx, op::kGrantRole, *req, [&](const Caller& c) {
    return Emit(d_.grants->Grant(c, req->user_id(), req->role()), resp);
  });
}

grpc::Status RoleServiceImpl::RevokeRole(grpc::ServerContext* ctx,
                                         const v1::RevokeRoleRequest* req,
                                         v1::User* resp) {
  return d_.runner->Run(ctx, op::kRevokeRole, *req, [&](const Caller& c) {
    return Emit(d_.grants->Revoke(c, req->user_id(), req->role()), resp);
  });
}

grpc::Status RoleServiceImpl::CreateRole(grpc::ServerContext* ctx,
                                         const v1::CreateRoleRequest* req,
                                         v1::Role* resp) {
  return d_.runner->Run(ctx, op::kCreateRole, *req, [&](const Caller& c) {
    domain::CustomRole role;
    role.organization_id = req->organization_id();
    role.name = req->name();
    role.description = req->description();
    role.permissions.assign(req->permissions().begin(),
                            req->permissions().end());
    return Emit(d_.roles->Create(c, std::move(role)), resp);
  });
}

grpc::Status RoleServiceImpl::UpdateRole(grpc::ServerContext* ctx,
                                         const v1::UpdateRoleRequest* req,
                                         v1::Role* resp) {
  return d_.runner->Run(ctx, op::kUpdateRole, *req, [&](const Caller& c) {
    RoleChanges changes;
    changes.id = req->id();
    if (req->has_description()) changes.description = req->description();
    if (req->has_permissions()) {
      changes.permissions = std::vector<std::string>(
          req->permissions().values().begin(), req->permissions().values().end());
    }
    changes.expected_version = req->version();
    return Emit(d_.roles->Update(c, std::move(changes)), resp);
  });
}

grpc::Status RoleServiceImpl::DeleteRole(grpc::ServerContext* ctx,
                                         const v1::DeleteRoleRequest* req,
                                         v1::DeleteRoleResponse* resp) {
  return d_.runner->Run(ctx, op::kDeleteRole, *req, [&](const Caller& c) {
    return d_.roles->Delete(c, req->id());
  });
}

grpc::Status RoleServiceImpl::CreateGroup(grpc::ServerContext* ctx,
                                          const v1::CreateGroupRequest* req,
                                          v1::Group* resp) {
  return d_.runner->Run(ctx, op::kCreateGroup, *req, [&](const Caller& c) {
    domain::Group group;
    group.organization_id = req->organization_id();
    group.name = req->name();
    group.description = req->description();
    group.roles.assign(req->roles().begin(), req->roles().end());
    return Emit(d_.groups->Create(c, std::move(group)), resp);
  });
}

grpc::Status RoleServiceImpl::ListGroups(grpc::ServerContext* ctx,
                                         const v1::ListGroupsRequest* req,
                                         v1::ListGroupsResponse* resp) {
  return d_.runner->Run(ctx, op::kListGroups, *req, [&](const Caller& c) {
    absl::StatusOr<ListGroupsResult> page = d_.groups->List(
        c, req->organization_id(), req->page_size(), req->page_token());
    if (!page.ok()) return page.status();
    for (const domain::Group& g : page->groups) ToProto(g, resp->add_groups());
    resp->set_next_page_token(page->next_page_token);
    return absl::OkStatus();
  });
}

grpc::Status RoleServiceImpl::DeleteGroup(grpc::ServerContext* ctx,
                                          const v1::DeleteGroupRequest* req,
                                          v1::DeleteGroupResponse* resp) {
  return d_.runner->Run(ctx, op::kDeleteGroup, *req, [&](const Caller& c) {
    return d_.groups->Delete(c, req->id());
  });
}

grpc::Status RoleServiceImpl::AddGroupMember(
    grpc::ServerContext* ctx, const v1::AddGroupMemberRequest* req,
    v1::Group* resp) {
  return d_.runner->Run(ctx, op::kAddGroupMember, *req, [&](const Caller& c) {
    return Emit(d_.groups->SetMember(c, req->group_id(), req->user_id(), true),
                resp);
  });
}

grpc::Status RoleServiceImpl::RemoveGroupMember(
    grpc::ServerContext* ctx, const v1::RemoveGroupMemberRequest* req,
    v1::Group* resp) {
  return d_.runner->Run(ctx, op::kRemoveGroupMember, *req, [&](const Caller& c) {
    return Emit(d_.groups->SetMember(c, req->group_id(), req->user_id(), false),
                resp);
  });
}

grpc::Status RoleServiceImpl::SetGroupRoles(
    grpc::ServerContext* ctx, const v1::SetGroupRolesRequest* req,
    v1::Group* resp) {
  return d_.runner->Run(ctx, op::kSetGroupRoles, *req, [&](const Caller& c) {
    return Emit(d_.groups->SetRoles(
                    c, req->group_id(),
                    std::vector<std::string>(req->roles().begin(),
                                             req->roles().end())),
                resp);
  });
}

}  // namespace identity::services
