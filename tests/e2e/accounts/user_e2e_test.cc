// UserService through the real binary.
#include <functional>
#include <set>
#include <thread>

#include "tests/e2e/e2e_fixture.h"

namespace identity::testing {
namespace {

using UserE2eTest = E2eTest;

v1::CreateUserRequest ValidCreate(const std::string& org_id) {
  v1::CreateUserRequest req;
  req.set_organization_id(org_id);
  req.set_username(Unique("valid"));
  req.set_email(req.username());
  req.set_primary_role("BASIC_USER");
  req.set_password(E2eTest::kPassword);
  return req;
}

TEST_F(UserE2eTest, CreatedUsersLogInAndGeneratedPasswordsAreShownOnce) {
  v1::Organization org = CreateOrg();
  v1::CreateUserRequest req = ValidCreate(org.id());
  req.clear_password();
  req.set_generate_password(true);
  req.set_display_name("Grace Hopper");
  req.set_time_zone("America/New_York");
  v1::CreateUserResponse resp;
  ASSERT_TRUE(users_->CreateUser(Ctx(AdminToken()).get(), req, &resp).ok());
  EXPECT_GE(resp.generated_password().size(), 20u);
  EXPECT_EQ(resp.user().display_name(), "Grace Hopper");
  EXPECT_EQ(resp.user().time_zone(), "America/New_York");
  EXPECT_TRUE(resp.user().enabled()) << "new users are enabled by default";
  EXPECT_EQ(resp.user().version(), 1);
  std::string token = Login(req.username(), resp.generated_password());
  v1::User me;
  ASSERT_TRUE(users_->GetCurrentUser(Ctx(token).get(), {}, &me).ok());
  EXPECT_EQ(me.id(), resp.user().id());

  v1::GetUserRequest get;
  get.set_id(me.id());
  v1::User read;
  ASSERT_TRUE(users_->GetUser(Ctx(AdminToken()).get(), get, &read).ok());
  EXPECT_EQ(read.DebugString().find(resp.generated_password()), std::string::npos);
}

TEST_F(UserE2eTest, EveryBadFieldIsNamedInTheError) {
  const std::string org = CreateOrg().id();
  struct Case {
    std::string field;
    std::function<void(v1::CreateUserRequest*)> spoil;
  };
  std::vector<Case> cases = {
      {"organization_id", [](auto* r) { r->set_organization_id("not-a-uuid"); }},
      {"organization_id", [](auto* r) { r->clear_organization_id(); }},
      {"username", [](auto* r) { r->set_username("x"); }},
      {"username", [](auto* r) { r->set_username("two words"); }},
      {"username", [](auto* r) { r->set_username(std::string(300, 'a')); }},
      {"email", [](auto* r) { r->set_email("not-an-email"); }},
      {"display_name", [](auto* r) { r->set_display_name(std::string(201, 'd')); }},
      {"primary_role", [](auto* r) { r->set_primary_role("ROOT"); }},
      {"primary_role", [](auto* r) { r->clear_primary_role(); }},
      {"image_url", [](auto* r) { r->set_image_url("ftp://x"); }},
      {"time_zone", [](auto* r) { r->set_time_zone("Nowhere/Land"); }},
      {"password", [](auto* r) { r->set_password("short"); }},
      {"password", [](auto* r) { r->clear_password(); }},
      {"password", [](auto* r) { r->set_generate_password(true); }},
  };
  for (const Case& c : cases) {
    v1::CreateUserRequest req = ValidCreate(org);
    c.spoil(&req);
    v1::CreateUserResponse resp;
    grpc::Status s = users_->CreateUser(Ctx(AdminToken()).get(), req, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.field;
    EXPECT_EQ(s.error_message().rfind(c.field + ":", 0), 0u)
        << c.field << " -> " << s.error_message();
    EXPECT_EQ(s.error_message().find(E2eTest::kPassword), std::string::npos);
  }
  EXPECT_EQ(Sql("SELECT count(*) FROM users WHERE organization_id = '" + org + "'"),
            "0") << "no bad request may leave a row behind";
}

TEST_F(UserE2eTest, UnknownOrganizationIsNotFound) {
  v1::CreateUserRequest req =
      ValidCreate("1b4e28ba-2fa1-11d2-883f-0016d3cca427");
  v1::CreateUserResponse resp;
  EXPECT_EQ(users_->CreateUser(Ctx(AdminToken()).get(), req, &resp).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(UserE2eTest, DuplicateUsernamesAreRefusedEvenUnderARace) {
  const std::string org = CreateOrg().id();
  v1::CreateUserRequest req = ValidCreate(org);
  v1::CreateUserResponse resp;
  ASSERT_TRUE(users_->CreateUser(Ctx(AdminToken()).get(), req, &resp).ok());
  std::string upper = req.username();
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  req.set_username(upper);
  grpc::Status dup = users_->CreateUser(Ctx(AdminToken()).get(), req, &resp);
  EXPECT_EQ(dup.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(dup.error_message(), "username is already taken");

  const std::string raced = Unique("race");
  std::vector<grpc::StatusCode> codes(6);
  std::vector<std::thread> threads;
  const std::string token = AdminToken();
  for (size_t i = 0; i < codes.size(); ++i) {
    threads.emplace_back([&, i] {
      v1::CreateUserRequest r = ValidCreate(org);
      r.set_username(raced);
      v1::CreateUserResponse out;
      codes[i] = users_->CreateUser(Ctx(token).get(), r, &out).error_code();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::count(codes.begin(), codes.end(), grpc::StatusCode::OK), 1);
  EXPECT_EQ(std::count(codes.begin(), codes.end(),
                       grpc::StatusCode::ALREADY_EXISTS),
            5);
}

TEST_F(UserE2eTest, ProfileUpdatesUseVersionsAndLeaveOtherFieldsAlone) {
  v1::User user = CreateUser(CreateOrg().id(), "BASIC_USER");
  v1::UpdateUserRequest req;
  req.set_id(user.id());
  req.set_display_name("Ada L.");
  req.set_version(user.version());
  v1::User updated;
  ASSERT_TRUE(users_->UpdateUser(Ctx(AdminToken()).get(), req, &updated).ok());
  EXPECT_EQ(updated.display_name(), "Ada L.");
  EXPECT_EQ(updated.email(), user.email()) << "unset fields are kept";
  EXPECT_EQ(updated.username(), user.username());
  EXPECT_EQ(updated.version(), user.version() + 1);

  req.set_display_name("Stale write");  // still carries the old version
  grpc::Status stale = users_->UpdateUser(Ctx(AdminToken()).get(), req, &updated);
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::ABORTED);

  // A user edits its own profile, but nobody else's.
  std::string token = Login(user.username(), kPassword);
  v1::UpdateUserRequest self;
  self.set_id(user.id());
  self.set_time_zone("Europe/Paris");
  ASSERT_TRUE(users_->UpdateUser(Ctx(token).get(), self, &updated).ok());
  EXPECT_EQ(updated.time_zone(), "Europe/Paris");
  v1::User other = CreateUser(user.organization_id(), "BASIC_USER");
  self.set_id(other.id());
  EXPECT_EQ(users_->UpdateUser(Ctx(token).get(), self, &updated).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(UserE2eTest, ListPagesThroughUsersWithFilters) {
  const std::string org = CreateOrg().id();
  std::set<std::string> created;
  for (int i = 0; i < 7; ++i) created.insert(CreateUser(org, "BASIC_USER").id());
  v1::User off = CreateUser(org, "BASIC_USER");
  v1::DisableUserRequest d;
  d.set_id(off.id());
  v1::User ignored;
  ASSERT_TRUE(users_->DisableUser(Ctx(AdminToken()).get(), d, &ignored).ok());

  v1::ListUsersRequest req;
  req.set_organization_id(org);
  req.set_status(v1::USER_STATUS_FILTER_ENABLED);
  req.set_page_size(3);
  std::set<std::string> seen;
  int pages = 0;
  while (pages < 100) {
    v1::ListUsersResponse resp;
    ASSERT_TRUE(users_->ListUsers(Ctx(AdminToken()).get(), req, &resp).ok());
    ++pages;
    for (const auto& u : resp.users()) {
      EXPECT_TRUE(seen.insert(u.id()).second) << "served twice: " << u.id();
      EXPECT_TRUE(u.enabled());
    }
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, created);

  // A token is bound to its filters.
  v1::ListUsersRequest first;
  first.set_organization_id(org);
  first.set_page_size(3);
  v1::ListUsersResponse resp;
  ASSERT_TRUE(users_->ListUsers(Ctx(AdminToken()).get(), first, &resp).ok());
  first.set_page_token(resp.next_page_token());
  first.set_query("something else");
  grpc::Status s = users_->ListUsers(Ctx(AdminToken()).get(), first, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("page_token:", 0), 0u);
  first.set_page_token("");
  first.set_page_size(1000);
  EXPECT_EQ(users_->ListUsers(Ctx(AdminToken()).get(), first, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(UserE2eTest, DisablingEndsSessionsAtOnceAndEnablingRestoresLogin) {
  v1::User user = CreateUser(CreateOrg().id(), "BASIC_USER");
  std::string token = Login(user.username(), kPassword);
  v1::DisableUserRequest d;
  d.set_id(user.id());
  v1::User out;
  ASSERT_TRUE(users_->DisableUser(Ctx(AdminToken()).get(), d, &out).ok());
  EXPECT_FALSE(out.enabled());
  v1::User me;
  EXPECT_EQ(users_->GetCurrentUser(Ctx(token).get(), {}, &me).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(TryLogin(user.username(), kPassword).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  v1::EnableUserRequest e;
  e.set_id(user.id());
  ASSERT_TRUE(users_->EnableUser(Ctx(AdminToken()).get(), e, &out).ok());
  EXPECT_TRUE(TryLogin(user.username(), kPassword).ok());
  EXPECT_EQ(Sql("SELECT string_agg(action, ',' ORDER BY id) FROM audit_events "
                "WHERE target_id = '" + user.id() + "' AND action LIKE 'user.%'"),
            "user.create,user.disable,user.enable");
}

TEST_F(UserE2eTest, NobodyChangesTheirOwnStatusOrRole) {
  v1::User admin = CreateUser(CreateOrg().id(), "ADMIN");
  std::string token = Login(admin.username(), kPassword);
  v1::User out;
  v1::DisableUserRequest d;
  d.set_id(admin.id());
  grpc::Status s = users_->DisableUser(Ctx(token).get(), d, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(s.error_message().find("your own"), std::string::npos);
  v1::SetPrimaryRoleRequest r;
  r.set_id(admin.id());
  r.set_primary_role("BASIC_USER");
  EXPECT_EQ(users_->SetPrimaryRole(Ctx(token).get(), r, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::DeleteUserRequest del;
  del.set_id(admin.id());
  v1::DeleteUserResponse gone;
  EXPECT_EQ(users_->DeleteUser(Ctx(token).get(), del, &gone).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(UserE2eTest, AdminsCannotGrantOrTouchGlobalAdmins) {
  const std::string org = CreateOrg().id();
  v1::User admin = CreateUser(org, "ADMIN");
  v1::User basic = CreateUser(org, "BASIC_USER");
  std::string token = Login(admin.username(), kPassword);
  v1::SetPrimaryRoleRequest r;
  r.set_id(basic.id());
  r.set_primary_role("GLOBAL_ADMIN");
  v1::User out;
  EXPECT_EQ(users_->SetPrimaryRole(Ctx(token).get(), r, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  r.set_primary_role("BILLING_CONTACT");
  ASSERT_TRUE(users_->SetPrimaryRole(Ctx(token).get(), r, &out).ok());
  EXPECT_EQ(out.primary_role(), "BILLING_CONTACT");

  v1::User global = CreateUser(org, "GLOBAL_ADMIN");
  v1::DisableUserRequest d;
  d.set_id(global.id());
  EXPECT_EQ(users_->DisableUser(Ctx(token).get(), d, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::CreateUserRequest c = ValidCreate(org);
  c.set_primary_role("GLOBAL_ADMIN");
  v1::CreateUserResponse created;
  EXPECT_EQ(users_->CreateUser(Ctx(token).get(), c, &created).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(UserE2eTest, ChangePasswordNeedsTheCurrentOneAndEndsOtherSessions) {
  v1::User user = CreateUser(CreateOrg().id(), "BILLING_CONTACT");
  std::string current = Login(user.username(), kPassword);
  std::string other = Login(user.username(), kPassword);
  v1::ChangePasswordRequest req;
  req.set_current_password("Not-The-Password-1");
  req.set_new_password("A-Brand-New-Password-2");
  v1::ChangePasswordResponse resp;
  grpc::Status wrong = users_->ChangePassword(Ctx(current).get(), req, &resp);
  EXPECT_EQ(wrong.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(wrong.error_message().rfind("current_password:", 0), 0u);
  req.set_current_password(kPassword);
  req.set_new_password("short");
  EXPECT_EQ(users_->ChangePassword(Ctx(current).get(), req, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  req.set_new_password("A-Brand-New-Password-2");
  ASSERT_TRUE(users_->ChangePassword(Ctx(current).get(), req, &resp).ok());
  v1::User me;
  EXPECT_TRUE(users_->GetCurrentUser(Ctx(current).get(), {}, &me).ok());
  EXPECT_EQ(users_->GetCurrentUser(Ctx(other).get(), {}, &me).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_FALSE(TryLogin(user.username(), kPassword).ok());
  EXPECT_TRUE(TryLogin(user.username(), "A-Brand-New-Password-2").ok());
}

TEST_F(UserE2eTest, ResetPasswordGeneratesEndsSessionsAndIsNotForOneself) {
  v1::User user = CreateUser(CreateOrg().id(), "BASIC_USER");
  std::string session = Login(user.username(), kPassword);
  v1::ResetPasswordRequest req;
  req.set_id(user.id());
  req.set_generate_password(true);
  v1::ResetPasswordResponse resp;
  ASSERT_TRUE(users_->ResetPassword(Ctx(AdminToken()).get(), req, &resp).ok());
  EXPECT_FALSE(resp.generated_password().empty());
  v1::User me;
  EXPECT_EQ(users_->GetCurrentUser(Ctx(session).get(), {}, &me).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(TryLogin(user.username(), resp.generated_password()).ok());

  v1::ValidateTokenRequest vt;
  vt.set_token(AdminToken());
  v1::ValidateTokenResponse who;
  ASSERT_TRUE(auth_->ValidateToken(Ctx().get(), vt, &who).ok());
  req.set_id(who.principal().user_id());
  EXPECT_EQ(users_->ResetPassword(Ctx(AdminToken()).get(), req, &resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Sql("SELECT count(*) FROM audit_events WHERE details::text LIKE '%" +
                resp.generated_password() + "%'"),
            "0");
}

TEST_F(UserE2eTest, DeletedUsersAreGone) {
  v1::User user = CreateUser(CreateOrg().id(), "BASIC_USER");
  v1::DeleteUserRequest del;
  del.set_id(user.id());
  v1::DeleteUserResponse out;
  ASSERT_TRUE(users_->DeleteUser(Ctx(AdminToken()).get(), del, &out).ok());
  v1::GetUserRequest get;
  get.set_id(user.id());
  v1::User read;
  EXPECT_EQ(users_->GetUser(Ctx(AdminToken()).get(), get, &read).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(TryLogin(user.username(), kPassword).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(users_->DeleteUser(Ctx(AdminToken()).get(), del, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(UserE2eTest, GlobalAdminsCannotRemoveEachOtherDownToNone) {
  // Two global admins; one disables the other, and the survivor cannot remove
  // itself: the way back in always stays.
  v1::User second = CreateUser(CreateOrg().id(), "GLOBAL_ADMIN");
  std::string token = Login(second.username(), kPassword);
  v1::ValidateTokenRequest vt;
  vt.set_token(AdminToken());
  v1::ValidateTokenResponse boot;
  ASSERT_TRUE(auth_->ValidateToken(Ctx().get(), vt, &boot).ok());
  v1::DisableUserRequest d;
  d.set_id(boot.principal().user_id());
  v1::User out;
  ASSERT_TRUE(users_->DisableUser(Ctx(token).get(), d, &out).ok());
  d.set_id(second.id());
  EXPECT_EQ(users_->DisableUser(Ctx(token).get(), d, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Sql("SELECT enabled FROM users WHERE id = '" + second.id() + "'"),
            "t");
  // Put the bootstrap admin back for the other tests of this suite.
  v1::EnableUserRequest e;
  e.set_id(boot.principal().user_id());
  ASSERT_TRUE(users_->EnableUser(Ctx(token).get(), e, &out).ok());
  ForgetAdminToken();  // disabling ended its sessions
}

}  // namespace
}  // namespace identity::testing
