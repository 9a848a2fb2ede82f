// The audit log: every change once, in order, scoped, without secrets.
#include <set>

#include "tests/e2e/e2e_fixture.h"

namespace identity::testing {
namespace {

using AuditE2eTest = E2eTest;

std::vector<v1::AuditEvent> ListAll(const std::string& token,
                                    v1::ListAuditEventsRequest req) {
  auto stub = v1::AuditService::NewStub(E2eTest::server().NewChannel());
  std::vector<v1::AuditEvent> out;
  for (int pages = 0; pages < 200; ++pages) {
    v1::ListAuditEventsResponse resp;
    grpc::Status s = stub->ListAuditEvents(Ctx(token).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    out.insert(out.end(), resp.events().begin(), resp.events().end());
    if (!s.ok() || resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  return out;
}

TEST_F(AuditE2eTest, EveryChangeToAUserAppearsOnceNewestFirst) {
  v1::Organization org = CreateOrg();
  v1::User user = CreateUser(org.id(), "BASIC_USER");
  const std::string admin = AdminToken();
  v1::User out;
  v1::UpdateUserRequest update;
  update.set_id(user.id());
  update.set_display_name("Audited");
  ASSERT_TRUE(users_->UpdateUser(Ctx(admin).get(), update, &out).ok());
  v1::DisableUserRequest off;
  off.set_id(user.id());
  ASSERT_TRUE(users_->DisableUser(Ctx(admin).get(), off, &out).ok());
  v1::EnableUserRequest on;
  on.set_id(user.id());
  ASSERT_TRUE(users_->EnableUser(Ctx(admin).get(), on, &out).ok());
  v1::SetPrimaryRoleRequest role;
  role.set_id(user.id());
  role.set_primary_role("BILLING_CONTACT");
  ASSERT_TRUE(users_->SetPrimaryRole(Ctx(admin).get(), role, &out).ok());
  v1::GrantRoleRequest grant;
  grant.set_user_id(user.id());
  grant.set_role("PORTAL_ACCESS");
  ASSERT_TRUE(roles_->GrantRole(Ctx(admin).get(), grant, &out).ok());
  v1::ResetPasswordRequest reset;
  reset.set_id(user.id());
  reset.set_new_password("Another-Good-Password-3");
  v1::ResetPasswordResponse pw;
  ASSERT_TRUE(users_->ResetPassword(Ctx(admin).get(), reset, &pw).ok());
  v1::DeleteUserRequest del;
  del.set_id(user.id());
  v1::DeleteUserResponse gone;
  ASSERT_TRUE(users_->DeleteUser(Ctx(admin).get(), del, &gone).ok());

  v1::ListAuditEventsRequest req;
  req.set_target_id(user.id());
  req.set_page_size(2);
  std::vector<std::string> actions;
  std::set<std::string> ids;
  for (const v1::AuditEvent& e : ListAll(admin, req)) {
    actions.push_back(e.action());
    EXPECT_TRUE(ids.insert(e.id()).second) << "served twice: " << e.id();
    EXPECT_EQ(e.organization_id(), org.id());
    EXPECT_FALSE(e.actor_id().empty());
    EXPECT_NE(e.peer().find("127.0.0.1"), std::string::npos);
  }
  EXPECT_EQ(actions, (std::vector<std::string>{
                         "user.delete", "user.reset_password",
                         "user.grant_role", "user.set_primary_role",
                         "user.enable", "user.disable", "user.update",
                         "user.create"}));
  req.set_action("user.");
  req.set_page_size(0);
  EXPECT_EQ(ListAll(admin, req).size(), 8u) << "every action above is user.*";
  req.set_action("user.enable");
  EXPECT_EQ(ListAll(admin, req).size(), 1u);
}

TEST_F(AuditE2eTest, AdminsSeeTheirOrganizationOnlyAndNoSecretEver) {
  v1::Organization org = CreateOrg();
  v1::User admin = CreateUser(org.id(), "ADMIN");
  std::string token = Login(admin.username(), kPassword);
  v1::CreateApiKeyRequest key_req;
  key_req.set_name("audited key");
  v1::CreateApiKeyResponse key;
  ASSERT_TRUE(v1::ApiKeyService::NewStub(server().NewChannel())
                  ->CreateApiKey(Ctx(token).get(), key_req, &key)
                  .ok());
  (void)TryLogin(admin.username(), "Wrong-Password-Audit-1");
  CreateUser(CreateOrg().id(), "BASIC_USER");  // elsewhere

  std::vector<v1::AuditEvent> events = ListAll(token, {});
  ASSERT_FALSE(events.empty());
  for (const v1::AuditEvent& e : events) {
    EXPECT_EQ(e.organization_id(), org.id()) << e.action();
  }
  for (const v1::AuditEvent& e : ListAll(AdminToken(), {})) {
    const std::string text = e.DebugString();
    for (const std::string& secret :
         {std::string(kPassword), std::string("Wrong-Password-Audit-1"),
          key.api_key(), token, AdminToken(),
          server().options().admin_password}) {
      EXPECT_EQ(text.find(secret), std::string::npos)
          << e.action() << " holds a secret";
    }
  }
}

TEST_F(AuditE2eTest, RefusesCallersWithoutAuditReadAndBadFilters) {
  v1::User basic = CreateUser(CreateOrg().id(), "BASIC_USER");
  auto stub = v1::AuditService::NewStub(server().NewChannel());
  v1::ListAuditEventsResponse resp;
  EXPECT_EQ(stub->ListAuditEvents(Ctx(Login(basic.username(), kPassword)).get(),
                                  {}, &resp)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::ListAuditEventsRequest req;
  req.set_action("user.create; DROP");
  grpc::Status s = stub->ListAuditEvents(Ctx(AdminToken()).get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("action:", 0), 0u);
  req.Clear();
  req.mutable_since()->set_seconds(2000);
  req.mutable_until()->set_seconds(1000);
  s = stub->ListAuditEvents(Ctx(AdminToken()).get(), req, &resp);
  EXPECT_EQ(s.error_message(), "until: must be after since");
  req.Clear();
  req.set_actor_id("nope");
  EXPECT_EQ(stub->ListAuditEvents(Ctx(AdminToken()).get(), req, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace identity::testing
