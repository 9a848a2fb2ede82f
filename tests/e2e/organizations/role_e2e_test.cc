// Add-on roles, and the rules for users managed by an external provider.
#include <algorithm>
#include <map>

#include "tests/e2e/e2e_fixture.h"

namespace identity::testing {
namespace {

using RoleE2eTest = E2eTest;

std::vector<std::string> Roles(const std::string& token) {
  v1::Principal p = E2eTest::PrincipalOf(token);
  return {p.roles().begin(), p.roles().end()};
}

bool HasPermission(const std::string& token, const std::string& permission) {
  v1::Principal principal = E2eTest::PrincipalOf(token);
  const auto& p = principal.permissions();
  return std::find(p.begin(), p.end(), permission) != p.end();
}

// A user as the LDAP provider would provision it (no password here).
v1::User ExternalUser(const std::string& org_id, const std::string& origin) {
  const std::string name = Unique("ext");
  std::string id = E2eTest::Sql(
      "INSERT INTO users (organization_id, username, email, origin, "
      "primary_role) VALUES ('" + org_id + "', '" + name + "', '" + name +
      "', '" + origin + "', 'BASIC_USER') RETURNING id");
  v1::User u;
  u.set_id(id);
  u.set_username(name);
  return u;
}

TEST_F(RoleE2eTest, GrantedAddOnRolesShowInTheNextValidation) {
  v1::User user = CreateUser(CreateOrg().id(), "BASIC_USER");
  std::string token = Login(user.username(), kPassword);
  EXPECT_FALSE(HasPermission(token, "control_center.access"));
  v1::GrantRoleRequest grant;
  grant.set_user_id(user.id());
  grant.set_role("CONTROL_CENTER");
  v1::User out;
  ASSERT_TRUE(roles_->GrantRole(Ctx(AdminToken()).get(), grant, &out).ok());
  ASSERT_EQ(out.roles_size(), 2);
  EXPECT_EQ(out.roles(0), "BASIC_USER") << "the primary role comes first";
  EXPECT_EQ(out.roles(1), "CONTROL_CENTER");
  EXPECT_EQ(Roles(token), (std::vector<std::string>{"BASIC_USER", "CONTROL_CENTER"}));
  EXPECT_TRUE(HasPermission(token, "control_center.access"));
  EXPECT_TRUE(roles_->GrantRole(Ctx(AdminToken()).get(), grant, &out).ok())
      << "granting twice is a no-op";

  v1::RevokeRoleRequest revoke;
  revoke.set_user_id(user.id());
  revoke.set_role("CONTROL_CENTER");
  ASSERT_TRUE(roles_->RevokeRole(Ctx(AdminToken()).get(), revoke, &out).ok());
  EXPECT_FALSE(HasPermission(token, "control_center.access"));
  EXPECT_EQ(Sql("SELECT string_agg(action, ',' ORDER BY id) FROM audit_events "
                "WHERE target_id = '" + user.id() + "' AND action LIKE '%_role'"),
            "user.grant_role,user.revoke_role");
}

TEST_F(RoleE2eTest, OnlyAddOnRolesAreGrantedAndNotToOneself) {
  v1::Organization org = CreateOrg();
  v1::User admin = CreateUser(org.id(), "ADMIN");
  v1::User user = CreateUser(org.id(), "BASIC_USER");
  std::string token = Login(admin.username(), kPassword);
  v1::GrantRoleRequest grant;
  grant.set_user_id(user.id());
  grant.set_role("ADMIN");
  v1::User out;
  grpc::Status s = roles_->GrantRole(Ctx(token).get(), grant, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("SetPrimaryRole"), std::string::npos);
  grant.set_role("PORTAL_ACCESS");
  EXPECT_TRUE(roles_->GrantRole(Ctx(token).get(), grant, &out).ok());
  grant.set_user_id(admin.id());
  EXPECT_EQ(roles_->GrantRole(Ctx(token).get(), grant, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(RoleE2eTest, ListRolesShowsPrimaryAndAddOnRoles) {
  v1::ListRolesResponse roles;
  ASSERT_TRUE(roles_->ListRoles(Ctx(AdminToken()).get(), {}, &roles).ok());
  std::map<std::string, bool> primary;
  for (const auto& r : roles.roles()) primary[r.name()] = r.primary();
  EXPECT_TRUE(primary.at("GLOBAL_ADMIN"));
  EXPECT_TRUE(primary.at("BILLING_CONTACT"));
  EXPECT_FALSE(primary.at("SERVICE_USER"));
  EXPECT_FALSE(primary.at("CONTROL_CENTER"));
  EXPECT_FALSE(primary.at("PORTAL_ACCESS"));
}

TEST_F(RoleE2eTest, ExternallyManagedUsersAreChangedOnlyByTheirProvider) {
  v1::Organization org = CreateOrg();
  v1::User ldap = ExternalUser(org.id(), "LDAP");
  v1::User saml = ExternalUser(org.id(), "SAML");
  v1::User out;
  v1::GrantRoleRequest grant;
  grant.set_user_id(ldap.id());
  grant.set_role("SERVICE_USER");
  grpc::Status s = roles_->GrantRole(Ctx(AdminToken()).get(), grant, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("LDAP identity provider"), std::string::npos)
      << s.error_message();
  grant.set_role("PORTAL_ACCESS");
  EXPECT_TRUE(roles_->GrantRole(Ctx(AdminToken()).get(), grant, &out).ok());

  for (const v1::User& u : {ldap, saml}) {
    const std::string provider = &u == &ldap ? "LDAP" : "SAML";
    v1::DisableUserRequest off;
    off.set_id(u.id());
    // An administrator may block an externally managed user here, and lift
    // that block; what its provider disabled only the provider enables
    // (LdapIdentityE2eTest).
    s = users_->DisableUser(Ctx(AdminToken()).get(), off, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_FALSE(out.enabled());
    v1::EnableUserRequest on;
    on.set_id(u.id());
    EXPECT_TRUE(users_->EnableUser(Ctx(AdminToken()).get(), on, &out).ok());
    v1::DeleteUserRequest del;
    del.set_id(u.id());
    v1::DeleteUserResponse gone;
    EXPECT_EQ(users_->DeleteUser(Ctx(AdminToken()).get(), del, &gone).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION);
    v1::ResetPasswordRequest reset;
    reset.set_id(u.id());
    reset.set_generate_password(true);
    v1::ResetPasswordResponse pw;
    EXPECT_EQ(users_->ResetPassword(Ctx(AdminToken()).get(), reset, &pw).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_EQ(TryLogin(u.username(), kPassword).error_code(),
              grpc::StatusCode::UNAUTHENTICATED)
        << provider << " users cannot log in until their provider is configured";
  }
}

}  // namespace
}  // namespace identity::testing
