#include "tests/e2e/organizations/authorization_matrix.h"

namespace identity::testing::matrix {
namespace {

// A custom role and a group of organization A, made fresh for each call.
v1::Role NewRole(World& w) {
  v1::CreateRoleRequest r;
  r.set_organization_id(w.a.id());
  r.set_name("R" + std::to_string(++w.counter));
  r.add_permissions("billing.read");
  v1::Role out;
  EXPECT_TRUE(E2eTest::roles_->CreateRole(Ctx(E2eTest::AdminToken()).get(), r,
                                          &out)
                  .ok());
  return out;
}

v1::Group NewGroup(World& w) {
  v1::CreateGroupRequest r;
  r.set_organization_id(w.a.id());
  r.set_name("G" + std::to_string(++w.counter));
  r.add_roles("PORTAL_ACCESS");
  v1::Group out;
  EXPECT_TRUE(E2eTest::roles_->CreateGroup(Ctx(E2eTest::AdminToken()).get(), r,
                                           &out)
                  .ok());
  return out;
}

}  // namespace

std::vector<Row> RoleRows() {
  const std::set<Actor> admins_of_a = {kGlobal, kAdminA};
  auto& roles = E2eTest::roles_;
  return {
      {"RoleService/GrantRole", admins_of_a,
       [](const std::string& t, Actor, World& w) {
         v1::GrantRoleRequest r;
         r.set_user_id(E2eTest::CreateUser(w.a.id(), "BASIC_USER").id());
         r.set_role("PORTAL_ACCESS");
         v1::User out;
         return E2eTest::roles_->GrantRole(Ctx(t).get(), r, &out);
       }},
      {"RoleService/RevokeRole", admins_of_a,
       [](const std::string& t, Actor, World& w) {
         v1::RevokeRoleRequest r;
         r.set_user_id(E2eTest::CreateUser(w.a.id(), "BASIC_USER").id());
         r.set_role("PORTAL_ACCESS");
         v1::User out;
         return E2eTest::roles_->RevokeRole(Ctx(t).get(), r, &out);
       }},
      {"AuditService/ListAuditEvents", {kGlobal, kAdminA, kAdminB},
       [](const std::string& t, Actor, World&) {
         v1::ListAuditEventsRequest r;
         r.set_page_size(1);
         v1::ListAuditEventsResponse out;
         return v1::AuditService::NewStub(E2eTest::server().NewChannel())
             ->ListAuditEvents(Ctx(t).get(), r, &out);
       }},
      // A stream that is admitted stays open: it ends at the deadline.
      {"AuditService/WatchAuditEvents", {kGlobal, kAdminA, kAdminB},
       [](const std::string& t, Actor, World&) {
         std::unique_ptr<grpc::ClientContext> ctx = Ctx(t);
         ctx->set_deadline(std::chrono::system_clock::now() +
                           std::chrono::milliseconds(300));
         auto stub = v1::AuditService::NewStub(E2eTest::server().NewChannel());
         auto reader = stub->WatchAuditEvents(ctx.get(), {});
         v1::WatchAuditEventsResponse out;
         while (reader->Read(&out)) {
         }
         return reader->Finish();
       }},
      {"RoleService/ListRoles", {kGlobal, kAdminA, kAdminB},
       [](const std::string& t, Actor, World&) {
         v1::ListRolesResponse out;
         return E2eTest::roles_->ListRoles(Ctx(t).get(), {}, &out);
       }},
      {"RoleService/CreateRole", admins_of_a,
       [&](const std::string& t, Actor, World& w) {
         v1::CreateRoleRequest r;
         r.set_organization_id(w.a.id());
         r.set_name("C" + std::to_string(++w.counter));
         v1::Role out;
         return roles->CreateRole(Ctx(t).get(), r, &out);
       }},
      {"RoleService/UpdateRole", admins_of_a,
       [&](const std::string& t, Actor, World& w) {
         v1::UpdateRoleRequest r;
         r.set_id(NewRole(w).id());
         r.set_description("changed");
         v1::Role out;
         return roles->UpdateRole(Ctx(t).get(), r, &out);
       }},
      {"RoleService/DeleteRole", admins_of_a,
       [&](const std::string& t, Actor, World& w) {
         v1::DeleteRoleRequest r;
         r.set_id(NewRole(w).id());
         v1::DeleteRoleResponse out;
         return roles->DeleteRole(Ctx(t).get(), r, &out);
       }},
      {"RoleService/CreateGroup", admins_of_a,
       [&](const std::string& t, Actor, World& w) {
         v1::CreateGroupRequest r;
         r.set_organization_id(w.a.id());
         r.set_name("CG" + std::to_string(++w.counter));
         v1::Group out;
         return roles->CreateGroup(Ctx(t).get(), r, &out);
       }},
      {"RoleService/ListGroups", admins_of_a,
       [&](const std::string& t, Actor, World& w) {
         v1::ListGroupsRequest r;
         r.set_organization_id(w.a.id());
         v1::ListGroupsResponse out;
         return roles->ListGroups(Ctx(t).get(), r, &out);
       }},
      {"RoleService/DeleteGroup", admins_of_a,
       [&](const std::string& t, Actor, World& w) {
         v1::DeleteGroupRequest r;
         r.set_id(NewGroup(w).id());
         v1::DeleteGroupResponse out;
         return roles->DeleteGroup(Ctx(t).get(), r, &out);
       }},
      {"RoleService/AddGroupMember", admins_of_a,
       [&](const std::string& t, Actor, World& w) {
         v1::AddGroupMemberRequest r;
         r.set_group_id(NewGroup(w).id());
         r.set_user_id(w.users[kBillingA].id());
         v1::Group out;
         return roles->AddGroupMember(Ctx(t).get(), r, &out);
       }},
      {"RoleService/RemoveGroupMember", admins_of_a,
       [&](const std::string& t, Actor, World& w) {
         v1::RemoveGroupMemberRequest r;
         r.set_group_id(NewGroup(w).id());
         r.set_user_id(w.users[kBillingA].id());
         v1::Group out;
         return roles->RemoveGroupMember(Ctx(t).get(), r, &out);
       }},
      {"RoleService/SetGroupRoles", admins_of_a,
       [&](const std::string& t, Actor, World& w) {
         v1::SetGroupRolesRequest r;
         r.set_group_id(NewGroup(w).id());
         r.add_roles("CONTROL_CENTER");
         v1::Group out;
         return roles->SetGroupRoles(Ctx(t).get(), r, &out);
       }},
  };
}

}  // namespace identity::testing::matrix
