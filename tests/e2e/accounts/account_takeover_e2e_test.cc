// Attacks on other accounts by callers who hold some power, but less than
// their target: a narrow custom role, an organization ADMIN against a global
// admin, an API key scoped to one thing.
#include <functional>

#include "absl/time/clock.h"
#include "tests/e2e/e2e_fixture.h"

namespace identity::testing {
namespace {

class AccountTakeoverE2eTest : public E2eTest {
 protected:
  void SetUp() override {
    keys_ = v1::ApiKeyService::NewStub(server().NewChannel());
    org_ = CreateOrg();
  }

  // A fresh custom role of org_ holding only `permissions`; returns its name.
  std::string NarrowRole(const std::vector<std::string>& permissions) {
    v1::CreateRoleRequest r;
    r.set_organization_id(org_.id());
    static int counter = 0;
    r.set_name("NARROW_" + std::to_string(++counter));
    for (const std::string& p : permissions) r.add_permissions(p);
    v1::Role role;
    grpc::Status s = roles_->CreateRole(Ctx(AdminToken()).get(), r, &role);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return role.name();
  }

  // A user whose primary role is NarrowRole(permissions); returns its
  // session token.
  std::string NarrowRoleToken(const std::vector<std::string>& permissions) {
    v1::User user = CreateUser(org_.id(), NarrowRole(permissions));
    return Login(user.username(), kPassword);
  }

  grpc::Status CreateKey(const std::string& token, const std::string& user_id,
                         std::vector<std::string> scope,
                         v1::CreateApiKeyResponse* out) {
    v1::CreateApiKeyRequest req;
    req.set_user_id(user_id);
    req.set_name("k");
    for (const std::string& p : scope) req.add_permissions(p);
    return keys_->CreateApiKey(Ctx(token).get(), req, out);
  }

  std::unique_ptr<v1::ApiKeyService::Stub> keys_;
  v1::Organization org_;
};

TEST_F(AccountTakeoverE2eTest, AKeyManagerCannotMintAKeyForAnAdminAndActAsIt) {
  const std::string clerk = NarrowRoleToken({"api_keys.manage"});
  v1::User admin = CreateUser(org_.id(), "ADMIN");
  v1::CreateApiKeyResponse key;
  grpc::Status s = CreateKey(clerk, admin.id(), {}, &key);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(s.error_message().find("holds '"), std::string::npos)
      << s.error_message();
  EXPECT_EQ(Sql("SELECT count(*) FROM api_keys WHERE user_id = '" +
                admin.id() + "'"),
            "0");
  // Listing or revoking an ADMIN's keys is power over it too.
  v1::CreateApiKeyResponse admins_key;
  ASSERT_TRUE(CreateKey(AdminToken(), admin.id(), {}, &admins_key).ok());
  v1::ListApiKeysRequest list;
  list.set_user_id(admin.id());
  v1::ListApiKeysResponse listed;
  EXPECT_EQ(keys_->ListApiKeys(Ctx(clerk).get(), list, &listed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::RevokeApiKeyRequest revoke;
  revoke.set_id(admins_key.key().id());
  v1::ApiKey revoked;
  EXPECT_EQ(keys_->RevokeApiKey(Ctx(clerk).get(), revoke, &revoked).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Nor does the organization-wide list show them.
  v1::ListApiKeysRequest all;
  all.set_organization_id(org_.id());
  ASSERT_TRUE(keys_->ListApiKeys(Ctx(clerk).get(), all, &listed).ok());
  for (const v1::ApiKey& k : listed.keys()) {
    EXPECT_NE(k.id(), admins_key.key().id());
  }
}

// A key scoped to managing keys mints keys within its own scope only: asked
// for no scope, the new key gets the minting key's, not all its owner holds.
TEST_F(AccountTakeoverE2eTest, AScopedKeyCannotMintAKeyBeyondItsScope) {
  v1::User admin = CreateUser(org_.id(), "ADMIN");
  const std::string admin_token = Login(admin.username(), kPassword);
  for (const std::string scope : {"api_keys.manage", "self.api_keys"}) {
    v1::CreateApiKeyResponse narrow;
    ASSERT_TRUE(CreateKey(admin_token, "", {scope}, &narrow).ok());
    v1::CreateApiKeyResponse minted;
    grpc::Status s = CreateKey(narrow.api_key(), "", {}, &minted);
    ASSERT_TRUE(s.ok()) << scope << ": " << s.error_message();
    v1::ValidateApiKeyRequest validate;
    validate.set_api_key(minted.api_key());
    v1::ValidateApiKeyResponse who;
    ASSERT_TRUE(auth_->ValidateApiKey(Ctx().get(), validate, &who).ok());
    EXPECT_EQ(std::vector<std::string>(who.principal().permissions().begin(),
                                       who.principal().permissions().end()),
              std::vector<std::string>{scope})
        << "a key minted by a key scoped to " << scope;
    v1::ListUsersRequest list;
    list.set_organization_id(org_.id());
    v1::ListUsersResponse users;
    EXPECT_EQ(users_->ListUsers(Ctx(minted.api_key()).get(), list, &users)
                  .error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << "the minted key acts as an ADMIN";
    s = CreateKey(narrow.api_key(), "", {"users.read"}, &minted);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << "a wider scope asked for by name";
  }
}

// Nor does a key outlive the key that made it: a rotation key valid for an
// hour cannot mint one that never expires.
TEST_F(AccountTakeoverE2eTest, AKeyCannotMintAKeyThatOutlivesIt) {
  const std::string admin_token =
      Login(CreateUser(org_.id(), "ADMIN").username(), kPassword);
  const int64_t in_an_hour = absl::ToUnixSeconds(absl::Now()) + 3600;
  v1::CreateApiKeyRequest make;
  make.set_name("rotation");
  make.add_permissions("self.api_keys");
  make.mutable_expires_at()->set_seconds(in_an_hour);
  v1::CreateApiKeyResponse rotation;
  ASSERT_TRUE(
      keys_->CreateApiKey(Ctx(admin_token).get(), make, &rotation).ok());

  v1::CreateApiKeyResponse minted;
  ASSERT_TRUE(CreateKey(rotation.api_key(), "", {}, &minted).ok());
  EXPECT_EQ(minted.key().expires_at().seconds(), in_an_hour)
      << "without a date, it expires with its maker";

  v1::CreateApiKeyRequest longer;
  longer.set_name("longer");
  longer.mutable_expires_at()->set_seconds(in_an_hour + 86400);
  grpc::Status s =
      keys_->CreateApiKey(Ctx(rotation.api_key()).get(), longer, &minted);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("expires_at: ", 0), 0u)
      << s.error_message();

  longer.mutable_expires_at()->set_seconds(in_an_hour - 60);
  EXPECT_TRUE(
      keys_->CreateApiKey(Ctx(rotation.api_key()).get(), longer, &minted).ok())
      << "an earlier date is the caller's to choose";
  // A session is its owner in person: its keys may outlive it.
  v1::CreateApiKeyResponse lasting;
  ASSERT_TRUE(CreateKey(admin_token, "", {}, &lasting).ok());
  EXPECT_FALSE(lasting.key().has_expires_at());
}

// A key the maker and the owner share nothing for would be stored without a
// scope, which reads as "everything the owner holds, now and later": refused.
TEST_F(AccountTakeoverE2eTest, AKeyThatWouldHoldNothingIsRefused) {
  const std::string clerk = NarrowRoleToken({"api_keys.manage"});
  v1::User owner = CreateUser(org_.id(), NarrowRole({"self.read"}));
  v1::CreateApiKeyResponse key;
  grpc::Status s = CreateKey(clerk, owner.id(), {}, &key);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(s.error_message().rfind("permissions: ", 0), 0u)
      << s.error_message();
  EXPECT_EQ(
      Sql("SELECT count(*) FROM api_keys WHERE user_id = '" + owner.id() + "'"),
      "0");
}

// A provider pointed at a server of the caller's own would log it in as any
// user the provider serves: configuring one takes what an ADMIN holds, not
// organizations.write alone.
TEST_F(AccountTakeoverE2eTest, ANarrowRoleCannotRepointTheIdentityProvider) {
  const std::string narrow =
      NarrowRoleToken({"organizations.read", "organizations.write"});
  const std::string admin =
      Login(CreateUser(org_.id(), "ADMIN").username(), kPassword);
  auto ldap = [&](const std::string& token) {
    v1::ConfigureLdapProviderRequest r;
    r.set_organization_id(org_.id());
    r.mutable_ldap()->add_urls("ldaps://attacker.example:636");
    v1::IdentityProvider out;
    return orgs_->ConfigureLdapProvider(Ctx(token).get(), r, &out);
  };
  auto saml = [&](const std::string& token) {
    v1::ConfigureSamlProviderRequest r;
    r.set_organization_id(org_.id());
    v1::IdentityProvider out;
    return orgs_->ConfigureSamlProvider(Ctx(token).get(), r, &out);
  };
  auto any = [&](const std::string& token) {
    v1::ConfigureIdentityProviderRequest r;
    r.set_organization_id(org_.id());
    r.mutable_ldap()->add_urls("ldaps://attacker.example:636");
    v1::IdentityProvider out;
    return orgs_->ConfigureIdentityProvider(Ctx(token).get(), r, &out);
  };
  for (const auto& configure :
       std::vector<std::function<grpc::Status(const std::string&)>>{ldap, saml,
                                                                    any}) {
    grpc::Status s = configure(narrow);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << s.error_message();
    EXPECT_NE(s.error_message().find("an ADMIN holds"), std::string::npos)
        << s.error_message();
    // An ADMIN gets past the check to the settings' own validation.
    s = configure(admin);
    EXPECT_NE(s.error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << s.error_message();
  }
  v1::UpdateOrganizationRequest rename;
  rename.set_id(org_.id());
  rename.set_name(Unique("renamed"));
  v1::Organization renamed;
  EXPECT_TRUE(
      orgs_->UpdateOrganization(Ctx(narrow).get(), rename, &renamed).ok())
      << "organizations.write still renames";
}

TEST_F(AccountTakeoverE2eTest, AKeyManagerStillServesAccountsItFullyCovers) {
  // Holding everything a BASIC_USER holds, the clerk may manage its keys.
  const std::string clerk = NarrowRoleToken(
      {"api_keys.manage", "apps.create", "apis.subscribe"});
  v1::User basic = CreateUser(org_.id(), "BASIC_USER");
  v1::CreateApiKeyResponse key;
  grpc::Status s = CreateKey(clerk, basic.id(), {}, &key);
  ASSERT_TRUE(s.ok()) << s.error_message();
  // Promoted later, the owner does not take the clerk's key with it: the
  // key's scope stops at what its maker held.
  v1::SetPrimaryRoleRequest promote;
  promote.set_id(basic.id());
  promote.set_primary_role("ADMIN");
  v1::User promoted;
  ASSERT_TRUE(
      users_->SetPrimaryRole(Ctx(AdminToken()).get(), promote, &promoted).ok());
  v1::ValidateApiKeyRequest validate;
  validate.set_api_key(key.api_key());
  v1::ValidateApiKeyResponse who;
  ASSERT_TRUE(auth_->ValidateApiKey(Ctx().get(), validate, &who).ok());
  for (const std::string& p : who.principal().permissions()) {
    EXPECT_TRUE(p == "api_keys.manage" || p == "apps.create" ||
                p == "apis.subscribe" || p.rfind("self.", 0) == 0)
        << p << " came with the owner's promotion";
  }
}

TEST_F(AccountTakeoverE2eTest, APasswordResetterCannotTakeAnAdminsPassword) {
  const std::string helpdesk = NarrowRoleToken({"users.password.reset"});
  v1::User admin = CreateUser(org_.id(), "ADMIN");
  v1::ResetPasswordRequest req;
  req.set_id(admin.id());
  req.set_new_password("Attacker-Chosen-Pass-1");
  v1::ResetPasswordResponse resp;
  grpc::Status s = users_->ResetPassword(Ctx(helpdesk).get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(TryLogin(admin.username(), kPassword).ok())
      << "the admin's password is unchanged";
}

TEST_F(AccountTakeoverE2eTest, ARoleManagerCannotDemoteAnAdminItDoesNotCover) {
  // It may hand out APP_MAKER (it holds all of it), but taking ADMIN away
  // is power over an account that holds more than the caller.
  const std::string roles = NarrowRoleToken(
      {"users.roles", "apps.create", "apis.subscribe"});
  v1::CreateRoleRequest make;
  make.set_organization_id(org_.id());
  make.set_name("APP_MAKER");
  make.add_permissions("apps.create");
  v1::Role maker;
  ASSERT_TRUE(roles_->CreateRole(Ctx(AdminToken()).get(), make, &maker).ok());
  v1::User admin = CreateUser(org_.id(), "ADMIN");
  v1::SetPrimaryRoleRequest req;
  req.set_id(admin.id());
  req.set_primary_role("APP_MAKER");
  v1::User out;
  grpc::Status s = users_->SetPrimaryRole(Ctx(roles).get(), req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(s.error_message().find("holds '"), std::string::npos)
      << s.error_message();
  v1::User basic = CreateUser(org_.id(), "BASIC_USER");
  req.set_id(basic.id());
  grpc::Status covered = users_->SetPrimaryRole(Ctx(roles).get(), req, &out);
  EXPECT_TRUE(covered.ok()) << covered.error_message();
}

TEST_F(AccountTakeoverE2eTest, AStatusRoleCannotDisableAnAdminOrReadItsSessions) {
  const std::string status = NarrowRoleToken({"users.status", "users.read"});
  v1::User admin = CreateUser(org_.id(), "ADMIN");
  Login(admin.username(), kPassword);
  v1::DisableUserRequest disable;
  disable.set_id(admin.id());
  v1::User out;
  EXPECT_EQ(users_->DisableUser(Ctx(status).get(), disable, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::ListSessionsRequest list;
  list.set_user_id(admin.id());
  v1::ListSessionsResponse sessions;
  EXPECT_EQ(auth_->ListSessions(Ctx(status).get(), list, &sessions).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AccountTakeoverE2eTest, AnOrgAdminCannotTouchAGlobalAdminsSessionsOrKeys) {
  v1::User global = CreateUser(org_.id(), "GLOBAL_ADMIN");
  const std::string global_token = Login(global.username(), kPassword);
  v1::CreateApiKeyResponse global_key;
  ASSERT_TRUE(CreateKey(global_token, "", {}, &global_key).ok());
  v1::User admin = CreateUser(org_.id(), "ADMIN");
  const std::string admin_token = Login(admin.username(), kPassword);

  v1::ListSessionsRequest list;
  list.set_user_id(global.id());
  v1::ListSessionsResponse sessions;
  EXPECT_EQ(
      auth_->ListSessions(Ctx(admin_token).get(), list, &sessions).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  v1::RevokeApiKeyRequest revoke;
  revoke.set_id(global_key.key().id());
  v1::ApiKey revoked;
  EXPECT_EQ(
      keys_->RevokeApiKey(Ctx(admin_token).get(), revoke, &revoked).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  // The organization-wide list leaves the global admin's keys out.
  v1::CreateApiKeyResponse own;
  ASSERT_TRUE(CreateKey(admin_token, "", {}, &own).ok());
  v1::ListApiKeysRequest all;
  all.set_organization_id(org_.id());
  v1::ListApiKeysResponse listed;
  ASSERT_TRUE(keys_->ListApiKeys(Ctx(admin_token).get(), all, &listed).ok());
  ASSERT_EQ(listed.keys_size(), 1);
  EXPECT_EQ(listed.keys(0).id(), own.key().id());
  ASSERT_TRUE(keys_->ListApiKeys(Ctx(AdminToken()).get(), all, &listed).ok());
  EXPECT_EQ(listed.keys_size(), 2) << "a global admin sees both";
}

TEST_F(AccountTakeoverE2eTest, AKeyScopedToApisCannotEnrollTotpOrAcceptTerms) {
  v1::User admin = CreateUser(org_.id(), "ADMIN");
  const std::string token = Login(admin.username(), kPassword);
  v1::CreateApiKeyResponse key;
  ASSERT_TRUE(CreateKey(token, "", {"apis.invoke"}, &key).ok());
  v1::EnrollTotpResponse enrolled;
  grpc::Status s =
      auth_->EnrollTotp(Ctx(key.api_key()).get(), {}, &enrolled);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(s.error_message().find("self.update"), std::string::npos)
      << s.error_message();
  v1::AcceptTermsOfUseRequest terms;
  terms.set_version("v1");
  v1::User out;
  EXPECT_EQ(users_->AcceptTermsOfUse(Ctx(key.api_key()).get(), terms, &out)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::UpdateUserRequest update;
  update.set_id(admin.id());
  update.set_display_name("renamed by a key");
  EXPECT_EQ(users_->UpdateUser(Ctx(key.api_key()).get(), update, &out)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AccountTakeoverE2eTest, ChangesMadeWithAnApiKeyNameTheKeyInTheAudit) {
  v1::User admin = CreateUser(org_.id(), "ADMIN");
  const std::string token = Login(admin.username(), kPassword);
  v1::CreateApiKeyResponse key;
  ASSERT_TRUE(CreateKey(token, "", {}, &key).ok());
  v1::CreateUserRequest req;
  req.set_organization_id(org_.id());
  req.set_username(Unique("via-key"));
  req.set_primary_role("BASIC_USER");
  req.set_generate_password(true);
  v1::CreateUserResponse made;
  ASSERT_TRUE(users_->CreateUser(Ctx(key.api_key()).get(), req, &made).ok());
  EXPECT_EQ(Sql("SELECT actor_id::text || ' ' || (details->>'api_key_id') "
                "FROM audit_events WHERE action = 'user.create' AND "
                "target_id = '" + made.user().id() + "'"),
            admin.id() + " " + key.key().id());
}

TEST_F(AccountTakeoverE2eTest, AGroupManagerCannotPullAnAdminIntoItsGroups) {
  const std::string groups = NarrowRoleToken({"groups.write", "groups.read"});
  v1::User admin = CreateUser(org_.id(), "ADMIN");
  v1::CreateGroupRequest make;
  make.set_organization_id(org_.id());
  make.set_name(Unique("g"));
  v1::Group group;
  ASSERT_TRUE(roles_->CreateGroup(Ctx(AdminToken()).get(), make, &group).ok());
  v1::AddGroupMemberRequest add;
  add.set_group_id(group.id());
  add.set_user_id(admin.id());
  v1::Group out;
  EXPECT_EQ(roles_->AddGroupMember(Ctx(groups).get(), add, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace identity::testing
