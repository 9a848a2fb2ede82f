// CheckPermission and BatchCheckPermissions as a backend calls them: with
// the credential its own caller presented, no credential of its own. An
// invalid credential is an answer; a malformed request names its field.
#include <map>

#include "tests/e2e/e2e_fixture.h"

namespace identity::testing {
namespace {

using Reason = v1::CheckPermissionResponse::Reason;
using CheckPermissionE2eTest = E2eTest;

v1::CheckPermissionResponse Check(const std::string& token,
                                  const std::string& permission,
                                  const std::string& org = "",
                                  grpc::Status* status = nullptr) {
  v1::CheckPermissionRequest req;
  req.set_token(token);
  req.set_permission(permission);
  req.set_organization_id(org);
  v1::CheckPermissionResponse resp;
  grpc::Status s = E2eTest::auth_->CheckPermission(Ctx().get(), req, &resp);
  if (status != nullptr) {
    *status = s;
  } else {
    EXPECT_TRUE(s.ok()) << s.error_message();
  }
  return resp;
}

v1::CheckPermissionResponse CheckKey(const std::string& key,
                                     const std::string& permission,
                                     const std::string& client_ip,
                                     grpc::Status* status = nullptr) {
  v1::CheckPermissionRequest req;
  req.set_api_key(key);
  req.set_client_ip(client_ip);
  req.set_permission(permission);
  v1::CheckPermissionResponse resp;
  grpc::Status s = E2eTest::auth_->CheckPermission(Ctx().get(), req, &resp);
  if (status != nullptr) {
    *status = s;
  } else {
    EXPECT_TRUE(s.ok()) << s.error_message();
  }
  return resp;
}

std::string MakeKey(const std::string& owner_token,
                    const std::vector<std::string>& scope) {
  v1::CreateApiKeyRequest req;
  req.set_name(Unique("key"));
  for (const std::string& p : scope) req.add_permissions(p);
  v1::CreateApiKeyResponse out;
  grpc::Status s = v1::ApiKeyService::NewStub(E2eTest::server().NewChannel())
                       ->CreateApiKey(Ctx(owner_token).get(), req, &out);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return out.api_key();
}

TEST_F(CheckPermissionE2eTest,
       AnswersForTheCredentialsHolderInItsOrganization) {
  const v1::Organization org = CreateOrg(), other = CreateOrg();
  const v1::User basic = CreateUser(org.id(), "BASIC_USER");
  const std::string token = Login(basic.username(), kPassword);

  v1::CheckPermissionResponse own = Check(token, "apps.create");
  EXPECT_TRUE(own.allowed());
  EXPECT_EQ(own.reason(), v1::CheckPermissionResponse::REASON_UNSPECIFIED);
  EXPECT_EQ(own.principal().user_id(), basic.id());
  EXPECT_EQ(own.principal().username(), basic.username());
  EXPECT_EQ(own.principal().permissions_size(),
            PrincipalOf(token).permissions_size())
      << "the principal as ValidateToken returns it";
  EXPECT_TRUE(Check(token, "apps.create", org.id()).allowed());

  v1::CheckPermissionResponse lacking = Check(token, "users.read", org.id());
  EXPECT_FALSE(lacking.allowed());
  EXPECT_EQ(lacking.reason(), v1::CheckPermissionResponse::NO_PERMISSION);
  EXPECT_NE(lacking.message().find("users.read"), std::string::npos);

  v1::CheckPermissionResponse elsewhere =
      Check(token, "apps.create", other.id());
  EXPECT_FALSE(elsewhere.allowed());
  EXPECT_EQ(elsewhere.reason(),
            v1::CheckPermissionResponse::OTHER_ORGANIZATION);

  // A global admin may everywhere, the global-only permissions included.
  EXPECT_TRUE(Check(AdminToken(), "billing.write", other.id()).allowed());
  EXPECT_TRUE(Check(AdminToken(), "organizations.create", org.id()).allowed());
  const std::string admin =
      Login(CreateUser(org.id(), "ADMIN").username(), kPassword);
  EXPECT_EQ(Check(admin, "organizations.create").reason(),
            v1::CheckPermissionResponse::NO_PERMISSION);
}

// The caller presents someone's credential, so it may learn only what that
// credential's holder could learn: not whether an organization exists.
TEST_F(CheckPermissionE2eTest, AnOrganizationsExistenceIsNotRevealed) {
  const v1::Organization org = CreateOrg(), other = CreateOrg();
  const std::string admin =
      Login(CreateUser(org.id(), "ADMIN").username(), kPassword);
  const std::string missing = "00000000-0000-4000-8000-000000000001";
  v1::CheckPermissionResponse real = Check(admin, "users.read", other.id());
  v1::CheckPermissionResponse made_up = Check(admin, "users.read", missing);
  EXPECT_EQ(real.reason(), v1::CheckPermissionResponse::OTHER_ORGANIZATION);
  EXPECT_EQ(made_up.reason(), real.reason());
  EXPECT_EQ(made_up.message(), real.message());
}

TEST_F(CheckPermissionE2eTest, AnInvalidCredentialIsAnAnswerNotAnError) {
  const v1::Organization org = CreateOrg();
  const v1::User gone = CreateUser(org.id(), "ADMIN");
  const std::string logged_out = Login(gone.username(), kPassword);
  v1::LogoutResponse out;
  ASSERT_TRUE(auth_->Logout(Ctx(logged_out).get(), {}, &out).ok());
  const v1::User off = CreateUser(org.id(), "ADMIN");
  const std::string disabled = Login(off.username(), kPassword);
  v1::DisableUserRequest disable;
  disable.set_id(off.id());
  v1::User ignored;
  ASSERT_TRUE(
      users_->DisableUser(Ctx(AdminToken()).get(), disable, &ignored).ok());

  for (const std::string& token :
       {std::string("idt_") + std::string(43, 'A'), std::string("garbage"),
        logged_out, disabled}) {
    v1::CheckPermissionResponse r = Check(token, "self.read");
    EXPECT_FALSE(r.allowed());
    EXPECT_EQ(r.reason(),
              v1::CheckPermissionResponse::UNAUTHENTICATED_CREDENTIAL);
    EXPECT_FALSE(r.has_principal());
  }
  v1::CheckPermissionResponse key =
      CheckKey("idk_abcdefgh_" + std::string(43, 'Q'), "apps.create", "");
  EXPECT_EQ(key.reason(),
            v1::CheckPermissionResponse::UNAUTHENTICATED_CREDENTIAL);
}

TEST_F(CheckPermissionE2eTest,
       MalformedRequestsAreInvalidArgumentNamingTheField) {
  const std::string token = AdminToken();
  auto refused = [](const v1::CheckPermissionRequest& req) {
    v1::CheckPermissionResponse resp;
    grpc::Status s = auth_->CheckPermission(Ctx().get(), req, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    return s.error_message();
  };
  v1::CheckPermissionRequest req;
  req.set_permission("users.read");
  EXPECT_EQ(refused(req),
            "token or api_key: required, the credential to check");
  req.set_token("");
  EXPECT_EQ(refused(req).rfind("token: empty", 0), 0u);
  req.set_token(token);
  req.set_permission("users.reed");
  EXPECT_EQ(
      refused(req).rfind("permission: unknown permission 'users.reed'", 0), 0u);
  req.set_permission("");
  EXPECT_EQ(refused(req), "permission: required");
  req.set_permission("users.read");
  req.set_organization_id("not-a-uuid");
  EXPECT_EQ(refused(req).rfind("organization_id:", 0), 0u);
  req.set_organization_id("");
  req.set_client_ip("10.0.0.300");
  EXPECT_EQ(refused(req).rfind("client_ip:", 0), 0u);

  v1::BatchCheckPermissionsRequest batch;
  batch.set_token(token);
  v1::BatchCheckPermissionsResponse out;
  grpc::Status none = auth_->BatchCheckPermissions(Ctx().get(), batch, &out);
  EXPECT_EQ(none.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(none.error_message(), "checks: at least one required");
  for (int i = 0; i < 101; ++i)
    batch.add_checks()->set_permission("users.read");
  grpc::Status many = auth_->BatchCheckPermissions(Ctx().get(), batch, &out);
  EXPECT_EQ(many.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(many.error_message().rfind("checks: at most 100", 0), 0u);
  batch.mutable_checks()->DeleteSubrange(3, 98);
  batch.mutable_checks(2)->set_permission("nope");
  grpc::Status bad = auth_->BatchCheckPermissions(Ctx().get(), batch, &out);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(bad.error_message().rfind("checks[2].permission: unknown", 0), 0u);
}

TEST_F(CheckPermissionE2eTest, ABatchAnswersEveryPairInOrder) {
  const v1::Organization org = CreateOrg(), other = CreateOrg();
  const v1::User billing = CreateUser(org.id(), "BILLING_CONTACT");
  v1::BatchCheckPermissionsRequest req;
  req.set_token(Login(billing.username(), kPassword));
  const std::pair<std::string, std::string> pairs[] = {
      {"billing.read", ""},
      {"billing.write", org.id()},
      {"users.read", org.id()},
      {"billing.read", other.id()},
      {"apps.create", ""}};
  for (const auto& [permission, organization] : pairs) {
    v1::PermissionCheck* c = req.add_checks();
    c->set_permission(permission);
    c->set_organization_id(organization);
  }
  v1::BatchCheckPermissionsResponse resp;
  ASSERT_TRUE(auth_->BatchCheckPermissions(Ctx().get(), req, &resp).ok());
  EXPECT_EQ(resp.principal().user_id(), billing.id());
  ASSERT_EQ(resp.results_size(), 5);
  const Reason want[] = {v1::CheckPermissionResponse::REASON_UNSPECIFIED,
                         v1::CheckPermissionResponse::REASON_UNSPECIFIED,
                         v1::CheckPermissionResponse::NO_PERMISSION,
                         v1::CheckPermissionResponse::OTHER_ORGANIZATION,
                         v1::CheckPermissionResponse::NO_PERMISSION};
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(resp.results(i).reason(), want[i]) << i;
    EXPECT_EQ(resp.results(i).allowed(), i < 2) << i;
  }

  req.set_token("idt_" + std::string(43, 'B'));
  ASSERT_TRUE(auth_->BatchCheckPermissions(Ctx().get(), req, &resp).ok());
  EXPECT_FALSE(resp.has_principal());
  ASSERT_EQ(resp.results_size(), 5);
  for (const v1::PermissionCheckResult& r : resp.results()) {
    EXPECT_EQ(r.reason(),
              v1::CheckPermissionResponse::UNAUTHENTICATED_CREDENTIAL);
  }
}

TEST_F(CheckPermissionE2eTest, AnApiKeyIsHeldToItsScopeAndTrustedRanges) {
  const v1::Organization org = CreateOrg();
  const std::string admin =
      Login(CreateUser(org.id(), "ADMIN").username(), kPassword);
  const std::string key = MakeKey(admin, {"users.read"});
  EXPECT_TRUE(CheckKey(key, "users.read", "").allowed());
  v1::CheckPermissionResponse scoped = CheckKey(key, "users.delete", "");
  EXPECT_EQ(scoped.reason(), v1::CheckPermissionResponse::KEY_SCOPE)
      << "the owner holds it, the key's scope does not";
  EXPECT_FALSE(scoped.principal().api_key_id().empty());
  EXPECT_EQ(CheckKey(key, "organizations.create", "").reason(),
            v1::CheckPermissionResponse::NO_PERMISSION);

  v1::UpdateOrganizationRequest ranges;
  ranges.set_id(org.id());
  ranges.mutable_trusted_ip_ranges()->add_values("10.0.0.0/8");
  v1::Organization updated;
  ASSERT_TRUE(
      orgs_->UpdateOrganization(Ctx(AdminToken()).get(), ranges, &updated)
          .ok());
  EXPECT_TRUE(CheckKey(key, "users.read", "10.1.2.3").allowed());
  for (const char* ip : {"192.0.2.1", ""}) {
    v1::CheckPermissionResponse outside = CheckKey(key, "users.read", ip);
    EXPECT_FALSE(outside.allowed()) << ip;
    EXPECT_EQ(outside.reason(),
              v1::CheckPermissionResponse::OUTSIDE_TRUSTED_IPS)
        << ip;
  }
  v1::CheckPermissionRequest with_token;
  with_token.set_token(admin);
  with_token.set_client_ip("192.0.2.1");
  with_token.set_permission("users.read");
  v1::CheckPermissionResponse session;
  ASSERT_TRUE(auth_->CheckPermission(Ctx().get(), with_token, &session).ok());
  EXPECT_TRUE(session.allowed()) << "trusted ranges are for API keys only";
}

TEST_F(CheckPermissionE2eTest,
       PendingStepsRefuseEveryPermissionWithTheirReason) {
  const v1::Organization org = CreateOrg();
  const v1::User terms_user = CreateUser(org.id(), "ADMIN");
  const v1::User old_password = CreateUser(org.id(), "ADMIN");
  v1::UpdateOrganizationRequest update;
  update.set_id(org.id());
  update.set_terms_of_use_version("2026-12");
  update.mutable_password_policy()->set_min_length(12);
  update.mutable_password_policy()->set_max_age_days(30);
  v1::Organization updated;
  ASSERT_TRUE(
      orgs_->UpdateOrganization(Ctx(AdminToken()).get(), update, &updated)
          .ok());
  Sql("UPDATE users SET must_accept_terms = true WHERE id = '" +
      terms_user.id() + "'");
  Sql("UPDATE users SET password_changed_at = now() - interval '40 days' "
      "WHERE id = '" +
      old_password.id() + "'");

  v1::CheckPermissionResponse terms =
      Check(Login(terms_user.username(), kPassword), "users.read");
  EXPECT_FALSE(terms.allowed());
  EXPECT_EQ(terms.reason(), v1::CheckPermissionResponse::TERMS_NOT_ACCEPTED);
  EXPECT_EQ(terms.principal().required_actions(0), "ACCEPT_TERMS_OF_USE");
  EXPECT_EQ(terms.principal().permissions_size(), 0);
  v1::CheckPermissionResponse expired =
      Check(Login(old_password.username(), kPassword), "self.read");
  EXPECT_EQ(expired.reason(),
            v1::CheckPermissionResponse::PASSWORD_CHANGE_REQUIRED);
}

class CheckPermissionBudgetE2eTest : public E2eTest {
 public:
  static void SetUpTestSuite() {
    // Five failures an address, then one a minute: none refills meanwhile.
    ExtraEnv() = {{"IDENTITY_RATE_LIMIT_ADDRESS_PER_MINUTE", "1"},
                  {"IDENTITY_RATE_LIMIT_ADDRESS_BURST", "5"}};
    E2eTest::SetUpTestSuite();
  }
};

// Invalid API keys spend ValidateApiKey's budget of the client's address (a
// guesser gains nothing by switching RPC); a valid key is never refused.
// Session tokens, like ValidateToken's, have none: 256 random bits are not
// guessed, and a budget keyed on the backend's address would refuse its
// other users.
TEST_F(CheckPermissionBudgetE2eTest, GuessedKeysSpendTheValidateApiKeyBudget) {
  const std::string admin =
      Login(CreateUser(CreateOrg().id(), "ADMIN").username(), kPassword);
  const std::string key = MakeKey(admin, {});
  const std::string guesser = "203.0.113.9";
  std::map<grpc::StatusCode, int> codes;
  for (int i = 0; i < 10; ++i) {
    grpc::Status s;
    v1::CheckPermissionResponse r = CheckKey(
        "idk_abcdefgh_" + std::string(43, 'A' + i), "users.read", guesser, &s);
    ++codes[s.error_code()];
    if (s.ok()) {
      EXPECT_EQ(r.reason(),
                v1::CheckPermissionResponse::UNAUTHENTICATED_CREDENTIAL);
    }
    EXPECT_TRUE(CheckKey(key, "users.read", guesser).allowed());
  }
  EXPECT_EQ(codes[grpc::StatusCode::OK], 5);
  EXPECT_EQ(codes[grpc::StatusCode::RESOURCE_EXHAUSTED], 5);
  v1::ValidateApiKeyRequest validate;
  validate.set_api_key("idk_abcdefgh_" + std::string(43, 'z'));
  validate.set_client_ip(guesser);
  v1::ValidateApiKeyResponse out;
  EXPECT_EQ(auth_->ValidateApiKey(Ctx().get(), validate, &out).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED)
      << "one budget for both RPCs";
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(Check("idt_" + std::string(43, 'a' + i), "users.read").reason(),
              v1::CheckPermissionResponse::UNAUTHENTICATED_CREDENTIAL);
  }
}

}  // namespace
}  // namespace identity::testing
