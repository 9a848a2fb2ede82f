// OrganizationService through the real binary.
#include <functional>

#include "tests/e2e/e2e_fixture.h"

namespace identity::testing {
namespace {

using OrganizationE2eTest = E2eTest;

TEST_F(OrganizationE2eTest, LifecycleWithVersionsAndUniqueNames) {
  v1::Organization org = CreateOrg("Initech " + Unique(""));
  EXPECT_EQ(org.version(), 1);
  v1::CreateOrganizationRequest dup;
  dup.set_name(org.name());
  v1::Organization out;
  EXPECT_EQ(orgs_->CreateOrganization(Ctx(AdminToken()).get(), dup, &out).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);

  v1::UpdateOrganizationRequest up;
  up.set_id(org.id());
  up.set_name("Initrode " + Unique(""));
  up.set_version(org.version());
  ASSERT_TRUE(orgs_->UpdateOrganization(Ctx(AdminToken()).get(), up, &out).ok());
  EXPECT_EQ(out.name(), up.name());
  EXPECT_EQ(out.version(), 2);
  EXPECT_EQ(orgs_->UpdateOrganization(Ctx(AdminToken()).get(), up, &out).error_code(),
            grpc::StatusCode::ABORTED);

  v1::GetOrganizationRequest get;
  get.set_id(org.id());
  ASSERT_TRUE(orgs_->GetOrganization(Ctx(AdminToken()).get(), get, &out).ok());
  EXPECT_EQ(out.name(), up.name());

  v1::DeleteOrganizationRequest del;
  del.set_id(org.id());
  v1::DeleteOrganizationResponse gone;
  ASSERT_TRUE(orgs_->DeleteOrganization(Ctx(AdminToken()).get(), del, &gone).ok());
  EXPECT_EQ(orgs_->GetOrganization(Ctx(AdminToken()).get(), get, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(OrganizationE2eTest, AnOrganizationWithUsersIsNotDeleted) {
  v1::Organization org = CreateOrg();
  CreateUser(org.id(), "BASIC_USER");
  v1::DeleteOrganizationRequest del;
  del.set_id(org.id());
  v1::DeleteOrganizationResponse gone;
  grpc::Status s = orgs_->DeleteOrganization(Ctx(AdminToken()).get(), del, &gone);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("still has 1 user"), std::string::npos);
}

TEST_F(OrganizationE2eTest, BadInputIsNamed) {
  v1::CreateOrganizationRequest req;
  v1::Organization out;
  grpc::Status s = orgs_->CreateOrganization(Ctx(AdminToken()).get(), req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "name: required");
  req.set_name(std::string(201, 'n'));
  EXPECT_EQ(orgs_->CreateOrganization(Ctx(AdminToken()).get(), req, &out).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  v1::GetOrganizationRequest get;
  get.set_id("42");
  s = orgs_->GetOrganization(Ctx(AdminToken()).get(), get, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "id: must be a UUID");
  v1::ListOrganizationsRequest list;
  list.set_page_token("bogus");
  v1::ListOrganizationsResponse page;
  EXPECT_EQ(orgs_->ListOrganizations(Ctx(AdminToken()).get(), list, &page).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(OrganizationE2eTest, AdminsSeeOnlyTheirOwnOrganization) {
  v1::Organization mine = CreateOrg();
  v1::Organization theirs = CreateOrg();
  v1::User admin = CreateUser(mine.id(), "ADMIN");
  std::string token = Login(admin.username(), kPassword);
  v1::ListOrganizationsResponse page;
  ASSERT_TRUE(orgs_->ListOrganizations(Ctx(token).get(), {}, &page).ok());
  ASSERT_EQ(page.organizations_size(), 1);
  EXPECT_EQ(page.organizations(0).id(), mine.id());

  v1::GetOrganizationRequest get;
  get.set_id(theirs.id());
  v1::Organization out;
  EXPECT_EQ(orgs_->GetOrganization(Ctx(token).get(), get, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::UpdateOrganizationRequest up;
  up.set_id(mine.id());
  up.set_name("Renamed " + Unique(""));
  EXPECT_TRUE(orgs_->UpdateOrganization(Ctx(token).get(), up, &out).ok());

  // The global admin pages through all of them.
  v1::ListOrganizationsRequest list;
  list.set_page_size(1);
  int seen = 0;
  for (int pages = 0; pages < 1000; ++pages) {
    ASSERT_TRUE(orgs_->ListOrganizations(Ctx(AdminToken()).get(), list, &page).ok());
    seen += page.organizations_size();
    if (page.next_page_token().empty()) break;
    list.set_page_token(page.next_page_token());
  }
  EXPECT_EQ(std::to_string(seen), Sql("SELECT count(*) FROM organizations"));
}

TEST_F(OrganizationE2eTest, SettingsRoundTripNormalizedAndPartialUpdatesKeepTheRest) {
  v1::Organization org = CreateOrg();
  EXPECT_EQ(org.password_policy().min_length(), 12);
  EXPECT_EQ(org.lockout_policy().max_failed_attempts(), 10);
  v1::UpdateOrganizationRequest req;
  req.set_id(org.id());
  req.mutable_password_policy()->set_min_length(14);
  req.mutable_password_policy()->set_require_digit(true);
  req.mutable_session_policy()->set_idle_timeout_seconds(600);
  req.mutable_session_policy()->set_max_concurrent_sessions(3);
  req.mutable_lockout_policy()->set_max_failed_attempts(5);
  req.mutable_lockout_policy()->set_window_seconds(300);
  req.mutable_lockout_policy()->set_lockout_seconds(0);
  for (const char* r : {"10.0.0.0/8", "2001:DB8::/32", "10.0.0.0/8"}) {
    req.mutable_trusted_ip_ranges()->add_values(r);
  }
  req.mutable_login_domains()->add_values("Example.COM");
  req.set_terms_of_use_version("2026-11");
  req.set_self_registration_enabled(true);
  req.set_require_totp(true);
  v1::Organization out;
  ASSERT_TRUE(orgs_->UpdateOrganization(Ctx(AdminToken()).get(), req, &out).ok());
  EXPECT_EQ(out.password_policy().min_length(), 14);
  EXPECT_TRUE(out.password_policy().require_digit());
  EXPECT_EQ(out.session_policy().max_concurrent_sessions(), 3);
  EXPECT_EQ(out.lockout_policy().lockout_seconds(), 0);
  ASSERT_EQ(out.trusted_ip_ranges_size(), 2) << "duplicates dropped";
  EXPECT_EQ(out.trusted_ip_ranges(1), "2001:db8::/32");
  ASSERT_EQ(out.login_domains_size(), 1);
  EXPECT_EQ(out.login_domains(0), "example.com");
  EXPECT_TRUE(out.self_registration_enabled());
  EXPECT_TRUE(out.require_totp());

  v1::UpdateOrganizationRequest rename;
  rename.set_id(org.id());
  rename.set_name("Renamed " + Unique(""));
  ASSERT_TRUE(orgs_->UpdateOrganization(Ctx(AdminToken()).get(), rename, &out).ok());
  EXPECT_EQ(out.password_policy().min_length(), 14) << "unset fields are kept";
  EXPECT_EQ(out.trusted_ip_ranges_size(), 2);
  EXPECT_EQ(out.terms_of_use_version(), "2026-11");

  v1::UpdateOrganizationRequest clear;
  clear.set_id(org.id());
  clear.mutable_trusted_ip_ranges();  // present and empty: clears the list
  ASSERT_TRUE(orgs_->UpdateOrganization(Ctx(AdminToken()).get(), clear, &out).ok());
  EXPECT_EQ(out.trusted_ip_ranges_size(), 0);
}

TEST_F(OrganizationE2eTest, ALoginDomainBelongsToOneOrganization) {
  v1::Organization a = CreateOrg();
  v1::Organization b = CreateOrg();
  v1::UpdateOrganizationRequest req;
  req.set_id(a.id());
  req.mutable_login_domains()->add_values("unique-domain.io");
  v1::Organization out;
  ASSERT_TRUE(orgs_->UpdateOrganization(Ctx(AdminToken()).get(), req, &out).ok());
  ASSERT_TRUE(orgs_->UpdateOrganization(Ctx(AdminToken()).get(), req, &out).ok())
      << "setting it again on the same organization is fine";
  req.set_id(b.id());
  req.mutable_login_domains()->set_values(0, "Unique-Domain.IO");
  grpc::Status s = orgs_->UpdateOrganization(Ctx(AdminToken()).get(), req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(s.error_message().rfind("login_domains: unique-domain.io", 0), 0u)
      << s.error_message();
}

TEST_F(OrganizationE2eTest, BadSettingsAreNamedAndChangeNothing) {
  v1::Organization org = CreateOrg();
  struct Case {
    std::string field;
    std::function<void(v1::UpdateOrganizationRequest*)> spoil;
  };
  std::vector<Case> cases = {
      {"password_policy.min_length",
       [](auto* r) { r->mutable_password_policy()->set_min_length(4); }},
      {"password_policy.history_size",
       [](auto* r) {
         r->mutable_password_policy()->set_min_length(12);
         r->mutable_password_policy()->set_history_size(99);
       }},
      {"session_policy.absolute_lifetime_seconds",
       [](auto* r) { r->mutable_session_policy()->set_absolute_lifetime_seconds(5); }},
      {"lockout_policy.window_seconds",
       [](auto* r) { r->mutable_lockout_policy()->set_max_failed_attempts(3); }},
      {"trusted_ip_ranges",
       [](auto* r) { r->mutable_trusted_ip_ranges()->add_values("10.1.2.3/8"); }},
      {"trusted_ip_ranges",
       [](auto* r) { r->mutable_trusted_ip_ranges()->add_values("everywhere"); }},
      {"login_domains",
       [](auto* r) { r->mutable_login_domains()->add_values("not a domain"); }},
  };
  for (const Case& c : cases) {
    v1::UpdateOrganizationRequest req;
    req.set_id(org.id());
    c.spoil(&req);
    v1::Organization out;
    grpc::Status s = orgs_->UpdateOrganization(Ctx(AdminToken()).get(), req, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.field;
    EXPECT_EQ(s.error_message().rfind(c.field + ":", 0), 0u)
        << c.field << " -> " << s.error_message();
  }
  v1::GetOrganizationRequest get;
  get.set_id(org.id());
  v1::Organization now;
  ASSERT_TRUE(orgs_->GetOrganization(Ctx(AdminToken()).get(), get, &now).ok());
  EXPECT_EQ(now.version(), org.version());
}

TEST_F(OrganizationE2eTest, PasswordPolicyAppliesToNewPasswords) {
  v1::Organization org = CreateOrg();
  v1::UpdateOrganizationRequest req;
  req.set_id(org.id());
  req.mutable_password_policy()->set_min_length(16);
  req.mutable_password_policy()->set_require_symbol(true);
  v1::Organization out;
  ASSERT_TRUE(orgs_->UpdateOrganization(Ctx(AdminToken()).get(), req, &out).ok());
  v1::CreateUserRequest create;
  create.set_organization_id(org.id());
  create.set_username(Unique("policy"));
  create.set_primary_role("BASIC_USER");
  create.set_password("LongEnoughButNoSymbol");
  v1::CreateUserResponse created;
  grpc::Status s = users_->CreateUser(Ctx(AdminToken()).get(), create, &created);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "password: must contain a symbol");
  create.set_password("Short-1!");
  s = users_->CreateUser(Ctx(AdminToken()).get(), create, &created);
  EXPECT_EQ(s.error_message(), "password: must be at least 16 characters long");
  create.clear_password();
  create.set_generate_password(true);
  ASSERT_TRUE(users_->CreateUser(Ctx(AdminToken()).get(), create, &created).ok());
  EXPECT_GE(created.generated_password().size(), 20u);
}

TEST_F(OrganizationE2eTest, MoveContentsMovesEveryUserAndKeyInOneGo) {
  v1::Organization source = CreateOrg();
  v1::Organization target = CreateOrg();
  v1::User a = CreateUser(source.id(), "ADMIN");
  v1::User b = CreateUser(source.id(), "BASIC_USER");
  std::string token = Login(b.username(), kPassword);
  v1::CreateApiKeyRequest key_req;
  key_req.set_name("moves along");
  v1::CreateApiKeyResponse key;
  ASSERT_TRUE(v1::ApiKeyService::NewStub(server().NewChannel())
                  ->CreateApiKey(Ctx(token).get(), key_req, &key)
                  .ok());

  v1::MoveOrganizationContentsRequest req;
  req.set_source_organization_id(source.id());
  req.set_target_organization_id(target.id());
  v1::MoveOrganizationContentsResponse moved;
  grpc::Status s = orgs_->MoveOrganizationContents(
      Ctx(Login(a.username(), kPassword)).get(), req, &moved);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << "only a global admin moves organizations";
  ASSERT_TRUE(orgs_->MoveOrganizationContents(Ctx(AdminToken()).get(), req, &moved).ok());
  EXPECT_EQ(moved.users_moved(), 2);
  EXPECT_EQ(moved.api_keys_moved(), 1);

  v1::User me;
  ASSERT_TRUE(users_->GetCurrentUser(Ctx(token).get(), {}, &me).ok())
      << "sessions survive the move";
  EXPECT_EQ(me.organization_id(), target.id());
  v1::ValidateApiKeyRequest vk;
  vk.set_api_key(key.api_key());
  v1::ValidateApiKeyResponse who;
  ASSERT_TRUE(auth_->ValidateApiKey(Ctx().get(), vk, &who).ok());
  EXPECT_EQ(who.principal().organization_id(), target.id());
  EXPECT_EQ(Sql("SELECT count(*) FROM audit_events WHERE action = "
                "'organization.move_contents' AND target_id = '" + source.id() + "'"),
            "1");
  v1::DeleteOrganizationRequest del;
  del.set_id(source.id());
  v1::DeleteOrganizationResponse gone;
  EXPECT_TRUE(orgs_->DeleteOrganization(Ctx(AdminToken()).get(), del, &gone).ok())
      << "the emptied source can go";
}

TEST_F(OrganizationE2eTest, MoveContentsRefusesBadTargetsAndMovesNothing) {
  v1::Organization source = CreateOrg();
  v1::User user = CreateUser(source.id(), "BASIC_USER");
  v1::MoveOrganizationContentsRequest req;
  req.set_source_organization_id(source.id());
  req.set_target_organization_id(source.id());
  v1::MoveOrganizationContentsResponse moved;
  EXPECT_EQ(orgs_->MoveOrganizationContents(Ctx(AdminToken()).get(), req, &moved)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  req.set_target_organization_id("1b4e28ba-2fa1-11d2-883f-0016d3cca427");
  EXPECT_EQ(orgs_->MoveOrganizationContents(Ctx(AdminToken()).get(), req, &moved)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Sql("SELECT organization_id FROM users WHERE id = '" + user.id() + "'"),
            source.id());
}

}  // namespace
}  // namespace identity::testing
