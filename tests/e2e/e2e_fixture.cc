#include "tests/e2e/e2e_fixture.h"

#include <atomic>

#include "common/crypto.h"
#include "tests/support/secret_watch.h"

namespace identity::testing {

std::unique_ptr<IdentitydServer> E2eTest::server_;
std::string E2eTest::database_;
std::string E2eTest::admin_token_;
std::unique_ptr<v1::AuthService::Stub> E2eTest::auth_;
std::unique_ptr<v1::OrganizationService::Stub> E2eTest::orgs_;
std::unique_ptr<v1::UserService::Stub> E2eTest::users_;
std::unique_ptr<v1::RoleService::Stub> E2eTest::roles_;

std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  if (!token.empty()) ctx->AddMetadata("authorization", "Bearer " + token);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return ctx;
}

std::string Unique(const std::string& prefix) {
  static std::atomic<int> counter{0};
  static const std::string run = [] {
    (void)crypto::Init();
    return crypto::Base64UrlEncode(crypto::RandomBytes(3));
  }();
  std::string tag = run;
  for (char& c : tag) {
    if (c == '-' || c == '_') c = 'x';
  }
  return prefix + "-" + tag + "-" + std::to_string(counter++) + "@example.com";
}

double MetricValue(const std::string& body, const std::string& series) {
  const std::string prefix = series + " ";
  size_t at = body.rfind("\n" + prefix);
  if (at != std::string::npos) {
    ++at;
  } else if (body.rfind(prefix, 0) == 0) {
    at = 0;
  } else {
    return -1;
  }
  return std::stod(body.substr(at + prefix.size()));
}

namespace {

// At the end of the whole run: no identityd log of any suite may hold any
// password, token or key the run used.
class NoSecretInAnyLog : public ::testing::Environment {
 public:
  void SetUp() override { RememberSecret(E2eTest::kPassword); }
  void TearDown() override {
    EXPECT_GT(CollectedLogs(), 0u);
    EXPECT_GT(RememberedSecrets(), 0u);
    for (const std::string& leak : SecretsInLogs()) {
      ADD_FAILURE() << "a secret reached a log: " << leak;
    }
  }
};
const auto* const kNoSecretInAnyLog =
    ::testing::AddGlobalTestEnvironment(new NoSecretInAnyLog());

}  // namespace

std::map<std::string, std::string>& E2eTest::ExtraEnv() {
  static auto* env = new std::map<std::string, std::string>();
  return *env;
}

void E2eTest::SetUpTestSuite() {
  std::string suite =
      ::testing::UnitTest::GetInstance()->current_test_suite()->name();
  for (char& c : suite) c = static_cast<char>(std::tolower(c));
  database_ = "e2e_" + suite;
  IdentitydServer::Options options;
  options.database_url = SharedPostgres().CreateDatabase(database_);
  options.env = ExtraEnv();
  ExtraEnv().clear();
  ASSERT_FALSE(options.database_url.empty());
  server_ = IdentitydServer::Start(options);
  ASSERT_NE(server_, nullptr);
  auto channel = server_->NewChannel();
  auth_ = v1::AuthService::NewStub(channel);
  orgs_ = v1::OrganizationService::NewStub(channel);
  users_ = v1::UserService::NewStub(channel);
  roles_ = v1::RoleService::NewStub(channel);
  admin_token_.clear();
}

void E2eTest::TearDownTestSuite() {
  auth_.reset();
  orgs_.reset();
  users_.reset();
  roles_.reset();
  server_.reset();
}

grpc::Status E2eTest::TryLogin(const std::string& username,
                               const std::string& password,
                               v1::AuthenticateResponse* resp) {
  v1::AuthenticateRequest req;
  req.set_username(username);
  req.set_password(password);
  RememberSecret(password);
  v1::AuthenticateResponse ignored;
  grpc::Status s = auth_->Authenticate(Ctx().get(), req, resp ? resp : &ignored);
  RememberSecret((resp ? resp : &ignored)->session_token());
  return s;
}

std::string E2eTest::Login(const std::string& username,
                           const std::string& password) {
  v1::AuthenticateResponse resp;
  grpc::Status s = TryLogin(username, password, &resp);
  EXPECT_TRUE(s.ok()) << username << ": " << s.error_message();
  RememberSecret(resp.session_token());
  return resp.session_token();
}

const std::string& E2eTest::AdminToken() {
  if (admin_token_.empty()) {
    admin_token_ = Login(server_->options().admin_username,
                         server_->options().admin_password);
  }
  return admin_token_;
}

v1::Principal E2eTest::PrincipalOf(const std::string& token,
                                   grpc::Status* status) {
  v1::ValidateTokenRequest req;
  req.set_token(token);
  v1::ValidateTokenResponse resp;
  grpc::Status s = auth_->ValidateToken(Ctx().get(), req, &resp);
  if (status != nullptr) {
    *status = s;
  } else {
    EXPECT_TRUE(s.ok()) << s.error_message();
  }
  return resp.principal();
}

v1::Organization E2eTest::CreateOrg(const std::string& name) {
  v1::CreateOrganizationRequest req;
  req.set_name(name);
  v1::Organization org;
  grpc::Status s = orgs_->CreateOrganization(Ctx(AdminToken()).get(), req, &org);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return org;
}

v1::User E2eTest::CreateUser(const std::string& org_id, const std::string& role,
                             const std::string& username) {
  v1::CreateUserRequest req;
  req.set_organization_id(org_id);
  req.set_username(username);
  req.set_email(username);
  req.set_display_name("Test " + role);
  req.set_primary_role(role);
  req.set_password(kPassword);
  v1::CreateUserResponse resp;
  grpc::Status s = users_->CreateUser(Ctx(AdminToken()).get(), req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return resp.user();
}

}  // namespace identity::testing
