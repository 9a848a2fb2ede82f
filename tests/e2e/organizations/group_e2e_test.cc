// Custom roles and groups: effective permissions are the union of a user's
// roles and its groups' roles, and change at once.
#include <algorithm>

#include "tests/e2e/e2e_fixture.h"

namespace identity::testing {
namespace {

using GroupE2eTest = E2eTest;

std::vector<std::string> Permissions(const std::string& token) {
  v1::Principal p = E2eTest::PrincipalOf(token);
  return {p.permissions().begin(), p.permissions().end()};
}

bool Has(const std::vector<std::string>& perms, const std::string& p) {
  return std::find(perms.begin(), perms.end(), p) != perms.end();
}

v1::Role MakeRole(const std::string& org, const std::string& name,
                  const std::vector<std::string>& perms,
                  const std::string& token = "") {
  v1::CreateRoleRequest req;
  req.set_organization_id(org);
  req.set_name(name);
  for (const auto& p : perms) req.add_permissions(p);
  v1::Role out;
  grpc::Status s = E2eTest::roles_->CreateRole(
      Ctx(token.empty() ? E2eTest::AdminToken() : token).get(), req, &out);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return out;
}

TEST_F(GroupE2eTest, ACustomPrimaryRoleGrantsExactlyItsPermissions) {
  v1::Organization org = CreateOrg();
  v1::Role support = MakeRole(org.id(), "SUPPORT", {"users.read", "audit.read"});
  EXPECT_EQ(support.permissions_size(), 2);
  v1::User agent = CreateUser(org.id(), "SUPPORT");
  EXPECT_EQ(agent.primary_role(), "SUPPORT");
  std::string token = Login(agent.username(), kPassword);
  std::vector<std::string> perms = Permissions(token);
  EXPECT_TRUE(Has(perms, "users.read"));
  EXPECT_TRUE(Has(perms, "audit.read"));
  EXPECT_FALSE(Has(perms, "users.create"));
  v1::ListUsersResponse list;
  EXPECT_TRUE(users_->ListUsers(Ctx(token).get(), {}, &list).ok());

  v1::UpdateRoleRequest update;
  update.set_id(support.id());
  update.mutable_permissions()->add_values("users.read");
  update.set_version(support.version());
  v1::Role updated;
  ASSERT_TRUE(roles_->UpdateRole(Ctx(AdminToken()).get(), update, &updated).ok());
  EXPECT_FALSE(Has(Permissions(token), "audit.read")) << "changes show at once";
  EXPECT_EQ(roles_->UpdateRole(Ctx(AdminToken()).get(), update, &updated).error_code(),
            grpc::StatusCode::ABORTED) << "stale version";

  v1::ListRolesRequest lr;
  lr.set_organization_id(org.id());
  v1::ListRolesResponse listed;
  ASSERT_TRUE(roles_->ListRoles(Ctx(AdminToken()).get(), lr, &listed).ok());
  EXPECT_EQ(listed.roles(listed.roles_size() - 1).name(), "SUPPORT");
  EXPECT_FALSE(listed.roles(listed.roles_size() - 1).built_in());
}

TEST_F(GroupE2eTest, NobodyCreatesOrGrantsARoleBeyondTheirOwnPermissions) {
  v1::Organization org = CreateOrg();
  // It holds everything a BASIC_USER holds, so it may change one's role.
  MakeRole(org.id(), "ROLE_MANAGER", {"roles.write", "roles.read", "users.read",
                                      "users.roles", "apps.create",
                                      "apis.subscribe"});
  v1::User manager = CreateUser(org.id(), "ROLE_MANAGER");
  std::string token = Login(manager.username(), kPassword);
  v1::CreateRoleRequest req;
  req.set_organization_id(org.id());
  req.set_name("DELETER");
  req.add_permissions("users.delete");
  v1::Role out;
  grpc::Status s = roles_->CreateRole(Ctx(token).get(), req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(s.error_message().find("users.delete"), std::string::npos);
  req.set_name("READER");
  req.clear_permissions();
  req.add_permissions("users.read");
  ASSERT_TRUE(roles_->CreateRole(Ctx(token).get(), req, &out).ok());

  // Granting ADMIN's permissions it does not hold is refused too.
  v1::User basic = CreateUser(org.id(), "BASIC_USER");
  v1::SetPrimaryRoleRequest promote;
  promote.set_id(basic.id());
  promote.set_primary_role("ADMIN");
  v1::User u;
  EXPECT_EQ(users_->SetPrimaryRole(Ctx(token).get(), promote, &u).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  promote.set_primary_role("READER");
  EXPECT_TRUE(users_->SetPrimaryRole(Ctx(token).get(), promote, &u).ok());

  req.set_name("ROOTISH");
  req.clear_permissions();
  req.add_permissions("organizations.create");
  EXPECT_EQ(roles_->CreateRole(Ctx(AdminToken()).get(), req, &out).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT) << "global-only permission";
  req.set_name("admin");
  req.clear_permissions();
  EXPECT_EQ(roles_->CreateRole(Ctx(AdminToken()).get(), req, &out).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT) << "built-in name";
  req.set_name("READER");
  EXPECT_EQ(roles_->CreateRole(Ctx(AdminToken()).get(), req, &out).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  // Another organization's custom role is unknown here.
  v1::CreateUserRequest c;
  c.set_organization_id(CreateOrg().id());
  c.set_username(Unique("elsewhere"));
  c.set_primary_role("READER");
  c.set_generate_password(true);
  v1::CreateUserResponse made;
  s = users_->CreateUser(Ctx(AdminToken()).get(), c, &made);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("primary_role: unknown role", 0), 0u);
}

TEST_F(GroupE2eTest, GroupsAddTheirRolesToMembersAtOnce) {
  v1::Organization org = CreateOrg();
  MakeRole(org.id(), "AUDITOR", {"audit.read"});
  v1::CreateGroupRequest make;
  make.set_organization_id(org.id());
  make.set_name("Ops");
  make.add_roles("CONTROL_CENTER");
  make.add_roles("AUDITOR");
  v1::Group group;
  ASSERT_TRUE(roles_->CreateGroup(Ctx(AdminToken()).get(), make, &group).ok());
  v1::User user = CreateUser(org.id(), "BASIC_USER");
  std::string token = Login(user.username(), kPassword);
  EXPECT_FALSE(Has(Permissions(token), "audit.read"));

  v1::AddGroupMemberRequest add;
  add.set_group_id(group.id());
  add.set_user_id(user.id());
  ASSERT_TRUE(roles_->AddGroupMember(Ctx(AdminToken()).get(), add, &group).ok());
  EXPECT_EQ(group.member_count(), 1);
  std::vector<std::string> perms = Permissions(token);
  EXPECT_TRUE(Has(perms, "audit.read"));
  EXPECT_TRUE(Has(perms, "control_center.access"));
  EXPECT_TRUE(Has(perms, "apps.create")) << "its own role still counts";

  v1::SetGroupRolesRequest set;
  set.set_group_id(group.id());
  set.add_roles("PORTAL_ACCESS");
  ASSERT_TRUE(roles_->SetGroupRoles(Ctx(AdminToken()).get(), set, &group).ok());
  perms = Permissions(token);
  EXPECT_FALSE(Has(perms, "audit.read"));
  EXPECT_TRUE(Has(perms, "portal.access"));

  v1::RemoveGroupMemberRequest remove;
  remove.set_group_id(group.id());
  remove.set_user_id(user.id());
  ASSERT_TRUE(roles_->RemoveGroupMember(Ctx(AdminToken()).get(), remove, &group).ok());
  EXPECT_FALSE(Has(Permissions(token), "portal.access"));

  v1::ListGroupsRequest list;
  list.set_organization_id(org.id());
  v1::ListGroupsResponse groups;
  ASSERT_TRUE(roles_->ListGroups(Ctx(AdminToken()).get(), list, &groups).ok());
  ASSERT_EQ(groups.groups_size(), 1);
  EXPECT_EQ(groups.groups(0).name(), "Ops");
  v1::DeleteGroupRequest del;
  del.set_id(group.id());
  v1::DeleteGroupResponse gone;
  ASSERT_TRUE(roles_->DeleteGroup(Ctx(AdminToken()).get(), del, &gone).ok());
  ASSERT_TRUE(roles_->ListGroups(Ctx(AdminToken()).get(), list, &groups).ok());
  EXPECT_EQ(groups.groups_size(), 0);
}

TEST_F(GroupE2eTest, ARoleInUseCannotBeDeleted) {
  v1::Organization org = CreateOrg();
  v1::Role role = MakeRole(org.id(), "TEMP", {"billing.read"});
  v1::User user = CreateUser(org.id(), "BASIC_USER");
  v1::GrantRoleRequest grant;
  grant.set_user_id(user.id());
  grant.set_role("TEMP");
  v1::User out;
  ASSERT_TRUE(roles_->GrantRole(Ctx(AdminToken()).get(), grant, &out).ok());
  v1::DeleteRoleRequest del;
  del.set_id(role.id());
  v1::DeleteRoleResponse gone;
  grpc::Status s = roles_->DeleteRole(Ctx(AdminToken()).get(), del, &gone);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("1 user(s)"), std::string::npos);
  v1::RevokeRoleRequest revoke;
  revoke.set_user_id(user.id());
  revoke.set_role("TEMP");
  ASSERT_TRUE(roles_->RevokeRole(Ctx(AdminToken()).get(), revoke, &out).ok());
  v1::CreateGroupRequest g;
  g.set_organization_id(org.id());
  g.set_name("Uses temp");
  g.add_roles("TEMP");
  v1::Group group;
  ASSERT_TRUE(roles_->CreateGroup(Ctx(AdminToken()).get(), g, &group).ok());
  EXPECT_EQ(roles_->DeleteRole(Ctx(AdminToken()).get(), del, &gone).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::DeleteGroupRequest dg;
  dg.set_id(group.id());
  v1::DeleteGroupResponse ok;
  ASSERT_TRUE(roles_->DeleteGroup(Ctx(AdminToken()).get(), dg, &ok).ok());
  EXPECT_TRUE(roles_->DeleteRole(Ctx(AdminToken()).get(), del, &gone).ok());
}

TEST_F(GroupE2eTest, MovingOrganizationsWithClashingRoleNamesMovesNothing) {
  v1::Organization source = CreateOrg();
  v1::Organization target = CreateOrg();
  MakeRole(source.id(), "SHARED", {"billing.read"});
  MakeRole(target.id(), "SHARED", {"billing.write"});
  v1::User user = CreateUser(source.id(), "SHARED");
  v1::MoveOrganizationContentsRequest req;
  req.set_source_organization_id(source.id());
  req.set_target_organization_id(target.id());
  v1::MoveOrganizationContentsResponse moved;
  grpc::Status s = orgs_->MoveOrganizationContents(Ctx(AdminToken()).get(), req, &moved);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("SHARED"), std::string::npos);
  EXPECT_EQ(Sql("SELECT organization_id FROM users WHERE id = '" + user.id() + "'"),
            source.id());

  v1::Organization clean = CreateOrg();
  req.set_target_organization_id(clean.id());
  ASSERT_TRUE(orgs_->MoveOrganizationContents(Ctx(AdminToken()).get(), req, &moved).ok());
  EXPECT_EQ(moved.roles_moved(), 1);
  EXPECT_TRUE(Has(Permissions(Login(user.username(), kPassword)), "billing.read"))
      << "the custom role moved with its user";
}

TEST_F(GroupE2eTest, AnEmptyOrganizationGoesWithItsRolesAndGroups) {
  v1::Organization org = CreateOrg();
  MakeRole(org.id(), "LEFTOVER", {"billing.read"});
  v1::CreateGroupRequest g;
  g.set_organization_id(org.id());
  g.set_name("Leftover");
  g.add_roles("LEFTOVER");
  v1::Group group;
  ASSERT_TRUE(roles_->CreateGroup(Ctx(AdminToken()).get(), g, &group).ok());
  v1::DeleteOrganizationRequest del;
  del.set_id(org.id());
  v1::DeleteOrganizationResponse gone;
  ASSERT_TRUE(orgs_->DeleteOrganization(Ctx(AdminToken()).get(), del, &gone).ok());
  EXPECT_EQ(Sql("SELECT count(*) FROM roles WHERE organization_id = '" +
                org.id() + "'"),
            "0");
}

TEST_F(GroupE2eTest, ExternalUsersCannotJoinAGroupCarryingServiceUser) {
  v1::Organization org = CreateOrg();
  std::string ext = Sql(
      "INSERT INTO users (organization_id, username, origin, primary_role) "
      "VALUES ('" + org.id() + "', '" + Unique("saml") +
      "', 'SAML', 'BASIC_USER') RETURNING id");
  v1::CreateGroupRequest g;
  g.set_organization_id(org.id());
  g.set_name("Robots");
  g.add_roles("SERVICE_USER");
  v1::Group group;
  ASSERT_TRUE(roles_->CreateGroup(Ctx(AdminToken()).get(), g, &group).ok());
  v1::AddGroupMemberRequest add;
  add.set_group_id(group.id());
  add.set_user_id(ext);
  grpc::Status s = roles_->AddGroupMember(Ctx(AdminToken()).get(), add, &group);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("SAML identity provider"), std::string::npos);
}

}  // namespace
}  // namespace identity::testing
