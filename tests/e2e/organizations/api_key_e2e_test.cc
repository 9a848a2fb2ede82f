// API keys: creation and scope, validation by gateways, trusted IP ranges,
// revocation, and keys as bearer credentials.
#include <thread>

#include "tests/e2e/e2e_fixture.h"
#include "tests/support/secret_watch.h"

namespace identity::testing {
namespace {

using ApiKeyE2eTest = E2eTest;

grpc::Status CreateKey(const std::string& token, const std::string& user_id,
                       const std::vector<std::string>& scope,
                       v1::CreateApiKeyResponse* out) {
  v1::CreateApiKeyRequest req;
  req.set_user_id(user_id);
  req.set_name("ci deploy key");
  for (const std::string& p : scope) req.add_permissions(p);
  auto stub = v1::ApiKeyService::NewStub(E2eTest::server().NewChannel());
  grpc::Status s = stub->CreateApiKey(Ctx(token).get(), req, out);
  RememberSecret(out->api_key());
  return s;
}

grpc::Status Validate(const std::string& key, const std::string& ip,
                      v1::ValidateApiKeyResponse* out = nullptr) {
  v1::ValidateApiKeyRequest req;
  req.set_api_key(key);
  req.set_client_ip(ip);
  v1::ValidateApiKeyResponse ignored;
  return E2eTest::auth_->ValidateApiKey(Ctx().get(), req, out ? out : &ignored);
}

class ApiKeys : public ApiKeyE2eTest {
 protected:
  void SetUp() override {
    keys_ = v1::ApiKeyService::NewStub(server().NewChannel());
    org_ = CreateOrg();
    admin_ = CreateUser(org_.id(), "ADMIN");
    basic_ = CreateUser(org_.id(), "BASIC_USER");
    admin_token_ = Login(admin_.username(), kPassword);
    basic_token_ = Login(basic_.username(), kPassword);
  }
  std::unique_ptr<v1::ApiKeyService::Stub> keys_;
  v1::Organization org_;
  v1::User admin_, basic_;
  std::string admin_token_, basic_token_;
};

TEST_F(ApiKeys, SecretIsShownOnceStoredAsDigestAndValidatesToItsOwner) {
  v1::CreateApiKeyResponse created;
  ASSERT_TRUE(CreateKey(basic_token_, "", {}, &created).ok());
  const std::string& secret = created.api_key();
  EXPECT_EQ(secret.rfind(created.key().prefix() + "_", 0), 0u);
  EXPECT_EQ(created.key().user_id(), basic_.id());
  EXPECT_EQ(created.key().organization_id(), org_.id());
  EXPECT_EQ(Sql("SELECT count(*) FROM api_keys WHERE key_digest = "
                "sha256(convert_to('" + secret + "', 'UTF8'))"),
            "1");

  v1::ValidateApiKeyResponse who;
  ASSERT_TRUE(Validate(secret, "203.0.113.5", &who).ok());
  EXPECT_EQ(who.principal().user_id(), basic_.id());
  EXPECT_EQ(who.principal().api_key_id(), created.key().id());
  EXPECT_EQ(who.principal().primary_role(), "BASIC_USER");
  EXPECT_FALSE(who.principal().has_expires_at()) << "this key does not expire";

  v1::ListApiKeysResponse list;
  ASSERT_TRUE(keys_->ListApiKeys(Ctx(basic_token_).get(), {}, &list).ok());
  ASSERT_EQ(list.keys_size(), 1);
  EXPECT_EQ(list.keys(0).prefix(), created.key().prefix());
  EXPECT_EQ(list.DebugString().find(secret.substr(13)), std::string::npos);
  EXPECT_TRUE(list.keys(0).has_last_used_at()) << "validation records use";
}

TEST_F(ApiKeys, AScopedKeyCanDoOnlyItsScopeAlsoAsBearer) {
  v1::CreateApiKeyResponse created;
  ASSERT_TRUE(CreateKey(admin_token_, "", {"users.read"}, &created).ok());
  v1::ValidateApiKeyResponse who;
  ASSERT_TRUE(Validate(created.api_key(), "", &who).ok());
  ASSERT_EQ(who.principal().permissions_size(), 1);
  EXPECT_EQ(who.principal().permissions(0), "users.read");

  v1::ListUsersRequest list;
  list.set_organization_id(org_.id());
  v1::ListUsersResponse users;
  EXPECT_TRUE(users_->ListUsers(Ctx(created.api_key()).get(), list, &users).ok());
  v1::CreateUserRequest make;
  make.set_organization_id(org_.id());
  make.set_username(Unique("bykey"));
  make.set_primary_role("BASIC_USER");
  make.set_generate_password(true);
  v1::CreateUserResponse made;
  EXPECT_EQ(users_->CreateUser(Ctx(created.api_key()).get(), make, &made).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::LogoutResponse out;
  EXPECT_EQ(auth_->Logout(Ctx(created.api_key()).get(), {}, &out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION)
      << "an API key is not a session";
}

TEST_F(ApiKeys, ScopeCannotExceedOwnerOrCaller) {
  v1::CreateApiKeyResponse created;
  grpc::Status s = CreateKey(basic_token_, "", {"users.read"}, &created);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(s.error_message().rfind("permissions:", 0), 0u) << s.error_message();
  s = CreateKey(admin_token_, basic_.id(), {"users.read"}, &created);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << "the owner does not hold users.read";
  s = CreateKey(admin_token_, "", {"no.such.permission"}, &created);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ApiKeys, AdminsCreateForTheirOrganizationOnly) {
  v1::CreateApiKeyResponse created;
  ASSERT_TRUE(CreateKey(admin_token_, basic_.id(), {"apps.create"}, &created).ok());
  EXPECT_EQ(created.key().user_id(), basic_.id());
  v1::User other_admin = CreateUser(CreateOrg().id(), "ADMIN");
  std::string other = Login(other_admin.username(), kPassword);
  EXPECT_EQ(CreateKey(other, basic_.id(), {}, &created).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(CreateKey(basic_token_, admin_.id(), {}, &created).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::User billing = CreateUser(org_.id(), "BILLING_CONTACT");
  EXPECT_EQ(CreateKey(Login(billing.username(), kPassword), "", {}, &created)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED)
      << "billing contacts have no API access";
  v1::ListApiKeysRequest mine;
  v1::ListApiKeysResponse list;
  ASSERT_TRUE(keys_->ListApiKeys(Ctx(admin_token_).get(), mine, &list).ok());
  for (const auto& k : list.keys()) EXPECT_EQ(k.organization_id(), org_.id());
}

TEST_F(ApiKeys, RevokedExpiredAndDisabledOwnerKeysStopButAreKept) {
  v1::CreateApiKeyResponse created;
  ASSERT_TRUE(CreateKey(basic_token_, "", {}, &created).ok());
  const std::string key = created.api_key();

  v1::DisableUserRequest off;
  off.set_id(basic_.id());
  v1::User user;
  ASSERT_TRUE(users_->DisableUser(Ctx(admin_token_).get(), off, &user).ok());
  EXPECT_EQ(Validate(key, "").error_code(), grpc::StatusCode::UNAUTHENTICATED);
  v1::EnableUserRequest on;
  on.set_id(basic_.id());
  ASSERT_TRUE(users_->EnableUser(Ctx(admin_token_).get(), on, &user).ok());
  EXPECT_TRUE(Validate(key, "").ok()) << "a re-enabled owner's key works again";

  // A change made behind the service's back (here with psql) reaches its
  // cache through PostgreSQL's notifications: within a second, not at once.
  Sql("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = '" +
      created.key().id() + "'");
  grpc::Status expired = Validate(key, "");
  for (int i = 0; i < 100 && expired.ok(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    expired = Validate(key, "");
  }
  EXPECT_EQ(expired.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  Sql("UPDATE api_keys SET expires_at = NULL WHERE id = '" + created.key().id() + "'");

  v1::RevokeApiKeyRequest revoke;
  revoke.set_id(created.key().id());
  v1::ApiKey revoked;
  ASSERT_TRUE(keys_->RevokeApiKey(Ctx(admin_token_).get(), revoke, &revoked).ok());
  EXPECT_TRUE(revoked.revoked());
  grpc::Status s = Validate(key, "");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(s.error_message(), "invalid, expired or revoked API key");
  v1::User me;
  EXPECT_EQ(users_->GetCurrentUser(Ctx(key).get(), {}, &me).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Sql("SELECT string_agg(action, ',' ORDER BY id) FROM audit_events "
                "WHERE action LIKE 'api_key.%' AND details->>'prefix' = '" +
                created.key().prefix() + "'"),
            "api_key.create,api_key.revoke");

  v1::CreateApiKeyRequest past;
  past.set_name("old");
  past.mutable_expires_at()->set_seconds(1000);
  grpc::Status s2 = keys_->CreateApiKey(Ctx(admin_token_).get(), past, &created);
  EXPECT_EQ(s2.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s2.error_message(), "expires_at: must be in the future");
}

TEST_F(ApiKeys, TrustedIpRangesGateValidationAndBearerUse) {
  v1::CreateApiKeyResponse created;
  ASSERT_TRUE(CreateKey(basic_token_, "", {}, &created).ok());
  v1::UpdateOrganizationRequest ranges;
  ranges.set_id(org_.id());
  ranges.mutable_trusted_ip_ranges()->add_values("10.0.0.0/8");
  ranges.mutable_trusted_ip_ranges()->add_values("2001:db8::/32");
  v1::Organization org;
  ASSERT_TRUE(orgs_->UpdateOrganization(Ctx(AdminToken()).get(), ranges, &org).ok());

  EXPECT_TRUE(Validate(created.api_key(), "10.9.8.7").ok());
  EXPECT_TRUE(Validate(created.api_key(), "2001:db8:5::1").ok());
  grpc::Status outside = Validate(created.api_key(), "192.168.1.1");
  EXPECT_EQ(outside.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(outside.error_message().find("trusted IP ranges"), std::string::npos);
  EXPECT_EQ(Validate(created.api_key(), "").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Validate(created.api_key(), "not-an-ip").error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  v1::User me;
  EXPECT_EQ(users_->GetCurrentUser(Ctx(created.api_key()).get(), {}, &me).error_code(),
            grpc::StatusCode::PERMISSION_DENIED)
      << "this test calls from 127.0.0.1, outside the ranges";
  ranges.mutable_trusted_ip_ranges()->add_values("127.0.0.0/8");
  ASSERT_TRUE(orgs_->UpdateOrganization(Ctx(AdminToken()).get(), ranges, &org).ok());
  EXPECT_TRUE(users_->GetCurrentUser(Ctx(created.api_key()).get(), {}, &me).ok());
}

TEST_F(ApiKeys, MalformedKeysAreUnauthenticated) {
  for (const std::string& bad :
       {std::string(""), std::string("idk_"), std::string("idk_AAAAAAAA_") +
                                                   std::string(43, 'A'),
        std::string(4096, 'k')}) {
    EXPECT_EQ(Validate(bad, "").error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }
}

}  // namespace
}  // namespace identity::testing
