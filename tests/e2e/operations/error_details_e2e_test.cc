// Errors a program can act on: every error of every service carries a
// google.rpc.ErrorInfo (stable reason, domain identity.v1, metadata) in its
// status details, INVALID_ARGUMENT a BadRequest naming the bad fields, and a
// spent failure budget a RetryInfo; reflection describes the detail types so
// a client that knows nothing of the service (grpcurl) can decode them.
#include <grpcpp/generic/generic_stub.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "absl/strings/match.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/e2e/e2e_fixture.h"

namespace identity::testing {
namespace {

struct Details {
  google::rpc::ErrorInfo info;
  std::vector<std::string> bad_fields;
  absl::Duration retry = absl::Seconds(-1);
};

Details DetailsOf(const grpc::Status& s) {
  Details d;
  google::rpc::Status rich;
  EXPECT_TRUE(rich.ParseFromString(s.error_details())) << s.error_message();
  EXPECT_EQ(rich.code(), static_cast<int>(s.error_code()));
  EXPECT_EQ(rich.message(), s.error_message());
  for (const google::protobuf::Any& any : rich.details()) {
    google::rpc::BadRequest bad;
    google::rpc::RetryInfo retry;
    if (any.UnpackTo(&d.info)) continue;
    if (any.UnpackTo(&bad)) {
      for (const auto& v : bad.field_violations())
        d.bad_fields.push_back(v.field());
    } else if (any.UnpackTo(&retry)) {
      d.retry = absl::Seconds(retry.retry_delay().seconds()) +
                absl::Nanoseconds(retry.retry_delay().nanos());
    }
  }
  return d;
}

// The code, the reason and the domain a program branches on.
void ExpectError(const grpc::Status& s, grpc::StatusCode code,
                 const std::string& reason) {
  EXPECT_EQ(s.error_code(), code) << s.error_message();
  const Details d = DetailsOf(s);
  EXPECT_EQ(d.info.reason(), reason) << s.error_message();
  EXPECT_EQ(d.info.domain(), "identity.v1");
}

using ErrorDetailsE2eTest = E2eTest;

TEST_F(ErrorDetailsE2eTest,
       WrongPasswordAndMissingCredentialAreUnauthenticated) {
  const v1::User user = CreateUser(CreateOrg().id(), "BASIC_USER");
  ExpectError(TryLogin(user.username(), "Wrong-Password-123"),
              grpc::StatusCode::UNAUTHENTICATED, "LOGIN_FAILED");
  ExpectError(TryLogin("nobody-" + Unique("x"), "Wrong-Password-123"),
              grpc::StatusCode::UNAUTHENTICATED, "LOGIN_FAILED");

  v1::ListUsersRequest list;
  v1::ListUsersResponse listed;
  ExpectError(users_->ListUsers(Ctx().get(), list, &listed),
              grpc::StatusCode::UNAUTHENTICATED, "CREDENTIAL_INVALID");
  ExpectError(users_->ListUsers(Ctx("idt_not-a-session").get(), list, &listed),
              grpc::StatusCode::UNAUTHENTICATED, "CREDENTIAL_INVALID");
  grpc::Status validated;
  PrincipalOf("idt_not-a-session", &validated);
  ExpectError(validated, grpc::StatusCode::UNAUTHENTICATED,
              "CREDENTIAL_INVALID");
}

TEST_F(ErrorDetailsE2eTest, PermissionDeniedNamesTheMissingPermission) {
  const std::string org = CreateOrg().id();
  const v1::User basic = CreateUser(org, "BASIC_USER");
  const std::string token = Login(basic.username(), kPassword);
  v1::ListUsersRequest list;
  v1::ListUsersResponse listed;
  const grpc::Status denied =
      users_->ListUsers(Ctx(token).get(), list, &listed);
  ExpectError(denied, grpc::StatusCode::PERMISSION_DENIED,
              "PERMISSION_MISSING");
  const Details d = DetailsOf(denied);
  EXPECT_EQ(d.info.metadata().at("method"), "ListUsers");
  EXPECT_EQ(d.info.metadata().at("permission"), "users.read");

  // An ADMIN of one organization reaching into another.
  const v1::User admin = CreateUser(org, "ADMIN");
  const v1::User stranger = CreateUser(CreateOrg().id(), "BASIC_USER");
  v1::GetUserRequest get;
  get.set_id(stranger.id());
  v1::User got;
  ExpectError(
      users_->GetUser(Ctx(Login(admin.username(), kPassword)).get(), get, &got),
      grpc::StatusCode::PERMISSION_DENIED, "OTHER_ORGANIZATION");
}

TEST_F(ErrorDetailsE2eTest, NotFoundNamesTheKindOfObject) {
  const std::string missing = "00000000-0000-4000-8000-000000000000";
  v1::GetUserRequest user;
  user.set_id(missing);
  v1::User u;
  ExpectError(users_->GetUser(Ctx(AdminToken()).get(), user, &u),
              grpc::StatusCode::NOT_FOUND, "USER_NOT_FOUND");
  v1::GetOrganizationRequest org;
  org.set_id(missing);
  v1::Organization o;
  ExpectError(orgs_->GetOrganization(Ctx(AdminToken()).get(), org, &o),
              grpc::StatusCode::NOT_FOUND, "ORGANIZATION_NOT_FOUND");
  v1::DeleteRoleRequest role;
  role.set_id(missing);
  v1::DeleteRoleResponse r;
  ExpectError(roles_->DeleteRole(Ctx(AdminToken()).get(), role, &r),
              grpc::StatusCode::NOT_FOUND, "ROLE_NOT_FOUND");
  v1::DeleteGroupRequest group;
  group.set_id(missing);
  v1::DeleteGroupResponse g;
  ExpectError(roles_->DeleteGroup(Ctx(AdminToken()).get(), group, &g),
              grpc::StatusCode::NOT_FOUND, "GROUP_NOT_FOUND");
  auto keys = v1::ApiKeyService::NewStub(server().NewChannel());
  v1::RevokeApiKeyRequest key;
  key.set_id(missing);
  v1::ApiKey k;
  ExpectError(keys->RevokeApiKey(Ctx(AdminToken()).get(), key, &k),
              grpc::StatusCode::NOT_FOUND, "API_KEY_NOT_FOUND");
}

TEST_F(ErrorDetailsE2eTest, AlreadyExistsNamesTheTakenField) {
  const v1::Organization org = CreateOrg();
  const v1::User user = CreateUser(org.id(), "BASIC_USER");
  v1::CreateUserRequest again;
  again.set_organization_id(org.id());
  again.set_username(user.username());
  again.set_primary_role("BASIC_USER");
  again.set_password(kPassword);
  v1::CreateUserResponse created;
  const grpc::Status taken =
      users_->CreateUser(Ctx(AdminToken()).get(), again, &created);
  ExpectError(taken, grpc::StatusCode::ALREADY_EXISTS, "USERNAME_TAKEN");
  EXPECT_EQ(DetailsOf(taken).info.metadata().at("field"), "username");

  v1::CreateOrganizationRequest same;
  same.set_name(org.name());
  v1::Organization o;
  ExpectError(orgs_->CreateOrganization(Ctx(AdminToken()).get(), same, &o),
              grpc::StatusCode::ALREADY_EXISTS, "NAME_TAKEN");
}

TEST_F(ErrorDetailsE2eTest, FailedPreconditionsNameTheRule) {
  const v1::Organization org = CreateOrg();
  CreateUser(org.id(), "BASIC_USER");
  v1::DeleteOrganizationRequest del_org;
  del_org.set_id(org.id());
  v1::DeleteOrganizationResponse org_deleted;
  ExpectError(
      orgs_->DeleteOrganization(Ctx(AdminToken()).get(), del_org, &org_deleted),
      grpc::StatusCode::FAILED_PRECONDITION, "STILL_REFERENCED");

  // The bootstrap admin is the last global admin; removing itself is
  // refused, by the rule against changing oneself or by the last-admin rule.
  const v1::Principal admin = PrincipalOf(AdminToken());
  v1::DeleteUserRequest del;
  del.set_id(admin.user_id());
  v1::DeleteUserResponse deleted;
  const grpc::Status s =
      users_->DeleteUser(Ctx(AdminToken()).get(), del, &deleted);
  const std::string reason = DetailsOf(s).info.reason();
  EXPECT_TRUE(reason == "SELF_CHANGE" || reason == "LAST_GLOBAL_ADMIN")
      << reason << ": " << s.error_message();
}

TEST_F(ErrorDetailsE2eTest, InvalidArgumentListsTheBadFields) {
  v1::CreateUserRequest req;
  req.set_organization_id(CreateOrg().id());
  req.set_username("x");
  req.set_primary_role("BASIC_USER");
  req.set_password(kPassword);
  v1::CreateUserResponse created;
  grpc::Status s = users_->CreateUser(Ctx(AdminToken()).get(), req, &created);
  ExpectError(s, grpc::StatusCode::INVALID_ARGUMENT, "INVALID_FIELD");
  EXPECT_EQ(DetailsOf(s).bad_fields, std::vector<std::string>{"username"});
  EXPECT_EQ(DetailsOf(s).info.metadata().at("field"), "username");

  req.set_username(Unique("user"));
  req.set_password("short");
  s = users_->CreateUser(Ctx(AdminToken()).get(), req, &created);
  ExpectError(s, grpc::StatusCode::INVALID_ARGUMENT, "PASSWORD_POLICY");
  EXPECT_EQ(DetailsOf(s).bad_fields, std::vector<std::string>{"password"});
  EXPECT_FALSE(absl::StrContains(s.error_details(), "short"))
      << "the password itself never comes back";

  req.set_password(kPassword);
  req.set_display_name(std::string("a\x01z"));
  s = users_->CreateUser(Ctx(AdminToken()).get(), req, &created);
  ExpectError(s, grpc::StatusCode::INVALID_ARGUMENT, "CONTROL_CHARACTERS");
  EXPECT_EQ(DetailsOf(s).bad_fields, std::vector<std::string>{"display_name"});

  auto audit = v1::AuditService::NewStub(server().NewChannel());
  v1::ListAuditEventsRequest page;
  page.set_page_token("not-a-token");
  v1::ListAuditEventsResponse events;
  s = audit->ListAuditEvents(Ctx(AdminToken()).get(), page, &events);
  ExpectError(s, grpc::StatusCode::INVALID_ARGUMENT, "INVALID_PAGE_TOKEN");
  EXPECT_EQ(DetailsOf(s).bad_fields, std::vector<std::string>{"page_token"});
}

TEST_F(ErrorDetailsE2eTest, ABodyThatDoesNotParseIsAMalformedRequest) {
  const std::string truncated =
      "\x0a\x05"
      "ab";  // field 1 claims 5 bytes
  grpc::Slice slice(truncated);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  grpc::GenericStub stub(server().NewChannel());
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + AdminToken());
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  grpc::Status s;
  stub.UnaryCall(&ctx, "/identity.v1.UserService/GetUser", grpc::StubOptions(),
                 &request, &response, [&](grpc::Status status) {
                   std::lock_guard<std::mutex> lock(mu);
                   s = std::move(status);
                   done = true;
                   cv.notify_one();
                 });
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return done; });
  ExpectError(s, grpc::StatusCode::INVALID_ARGUMENT, "MALFORMED_REQUEST");
}

TEST_F(ErrorDetailsE2eTest, HealthOfAnUnknownServiceCarriesDetailsToo) {
  auto health = grpc::health::v1::Health::NewStub(server().NewChannel());
  grpc::health::v1::HealthCheckRequest req;
  req.set_service("no.such.Service");
  grpc::health::v1::HealthCheckResponse resp;
  ExpectError(health->Check(Ctx().get(), req, &resp),
              grpc::StatusCode::NOT_FOUND, "NOT_FOUND");
}

// What grpcurl does: decode the details with nothing but reflection.
TEST_F(ErrorDetailsE2eTest, AReflectionClientPrintsTheReasonOfAnError) {
  std::string out = MakeTempDir("reflect-") + "/out";
  const int rc =
      RunCommand({"/usr/bin/python3", GRPC_REFLECT_PATH, "-H",
                  "authorization: Bearer " + AdminToken(), server().address(),
                  "call", "identity.v1.UserService/GetUser",
                  "{\"id\":\"00000000-0000-4000-8000-000000000000\"}"},
                 out);
  const std::string printed = ReadFile(out);
  EXPECT_NE(rc, 0);
  EXPECT_TRUE(absl::StrContains(
      printed, "\"@type\": \"type.googleapis.com/google.rpc.ErrorInfo\""))
      << printed;
  EXPECT_TRUE(absl::StrContains(printed, "\"reason\": \"USER_NOT_FOUND\""))
      << printed;
  EXPECT_TRUE(absl::StrContains(printed, "\"domain\": \"identity.v1\""))
      << printed;
}

class RateLimitDetailsE2eTest : public E2eTest {
 public:
  static void SetUpTestSuite() {
    ExtraEnv() = {{"IDENTITY_RATE_LIMIT_TARGET_PER_MINUTE", "60"},
                  {"IDENTITY_RATE_LIMIT_TARGET_BURST", "2"}};
    E2eTest::SetUpTestSuite();
  }
};

TEST_F(RateLimitDetailsE2eTest, ASpentBudgetIsResourceExhaustedWithRetryInfo) {
  const v1::User user = CreateUser(CreateOrg().id(), "BASIC_USER");
  for (int i = 0; i < 2; ++i) {
    ExpectError(TryLogin(user.username(), "Wrong-Password-123"),
                grpc::StatusCode::UNAUTHENTICATED, "LOGIN_FAILED");
  }
  const grpc::Status refused = TryLogin(user.username(), kPassword);
  ExpectError(refused, grpc::StatusCode::RESOURCE_EXHAUSTED, "RATE_LIMITED");
  const Details d = DetailsOf(refused);
  EXPECT_EQ(d.info.metadata().at("limit"), "username");
  EXPECT_GE(d.retry, absl::Seconds(1));
  EXPECT_LE(d.retry, absl::Seconds(2));
}

// Out of threads (gRPC refuses before the service runs) or out of hash
// workers (the service refuses): either way a program reads SERVER_BUSY and
// how long to wait.
class BusyDetailsE2eTest : public E2eTest {
 public:
  static void SetUpTestSuite() {
    ExtraEnv() = {{"IDENTITY_RPC_MAX_THREADS", "4"},
                  {"IDENTITY_HASH_WORKERS", "1"},
                  {"IDENTITY_HASH_QUEUE", "1"}};
    E2eTest::SetUpTestSuite();
  }
};

TEST_F(BusyDetailsE2eTest,
       RefusalsForLackOfCapacityAreServerBusyWithRetryInfo) {
  std::mutex mu;
  std::vector<grpc::Status> refused;
  std::vector<std::thread> callers;
  for (int t = 0; t < 16; ++t) {
    callers.emplace_back([&] {
      for (int i = 0; i < 3; ++i) {
        grpc::Status s = TryLogin(server().options().admin_username,
                                  server().options().admin_password);
        std::lock_guard<std::mutex> lock(mu);
        if (!s.ok()) refused.push_back(s);
      }
    });
  }
  for (std::thread& t : callers) t.join();
  ASSERT_FALSE(refused.empty()) << "16 callers at once overflow the server";
  for (const grpc::Status& s : refused) {
    ExpectError(s, grpc::StatusCode::RESOURCE_EXHAUSTED, "SERVER_BUSY");
    EXPECT_EQ(DetailsOf(s).retry, absl::Seconds(1)) << s.error_message();
  }
}

}  // namespace
}  // namespace identity::testing
