// The binary as operators run it: reflection, restarts, replicas, bad
// settings, database outages, shutdown, and what reaches the log.
#include <signal.h>
#include <sys/wait.h>

#include <grpcpp/generic/generic_stub.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/e2e/e2e_fixture.h"

namespace identity::testing {
namespace {

using ServerE2eTest = E2eTest;

// Runs the reflection client (our grpcurl stand-in); returns its output.
std::string Reflect(const std::vector<std::string>& args, int* exit_code) {
  std::string out = MakeTempDir("reflect-") + "/out";
  std::vector<std::string> argv = {"/usr/bin/python3", GRPC_REFLECT_PATH};
  argv.insert(argv.end(), args.begin(), args.end());
  *exit_code = RunCommand(argv, out);
  return ReadFile(out);
}

TEST_F(ServerE2eTest, ReflectionListsAndCallsEveryServiceByName) {
  int rc = 0;
  std::string list = Reflect({server().address(), "list"}, &rc);
  ASSERT_EQ(rc, 0) << list;
  for (const char* service :
       {"grpc.health.v1.Health", "identity.v1.AuthService",
        "identity.v1.OrganizationService", "identity.v1.UserService",
        "identity.v1.RoleService"}) {
    EXPECT_TRUE(absl::StrContains(list, service)) << list;
  }
  std::string health =
      Reflect({server().address(), "call", "grpc.health.v1.Health/Check"}, &rc);
  EXPECT_EQ(rc, 0);
  EXPECT_TRUE(absl::StrContains(health, "SERVING")) << health;

  std::string login = Reflect(
      {server().address(), "call", "identity.v1.AuthService/Authenticate",
       "{\"username\":\"" + server().options().admin_username +
           "\",\"password\":\"" + server().options().admin_password + "\"}"},
      &rc);
  ASSERT_EQ(rc, 0) << login;
  const size_t at = login.find("idt_");
  ASSERT_NE(at, std::string::npos) << login;
  std::string token = login.substr(at, 47);
  std::string roles = Reflect({"-H", "authorization: Bearer " + token,
                               server().address(), "call",
                               "identity.v1.RoleService/ListRoles"},
                              &rc);
  EXPECT_EQ(rc, 0) << roles;
  EXPECT_TRUE(absl::StrContains(roles, "BILLING_CONTACT")) << roles;
  std::string denied = Reflect({server().address(), "call",
                                "identity.v1.RoleService/ListRoles"},
                               &rc);
  EXPECT_NE(rc, 0);
  EXPECT_TRUE(absl::StrContains(denied, "UNAUTHENTICATED")) << denied;
}

TEST_F(ServerE2eTest, RestartKeepsDataAndDoesNotBootstrapTwice) {
  v1::User user = CreateUser(CreateOrg().id(), "BASIC_USER");
  ASSERT_EQ(server().Stop(SIGTERM), 0) << "a SIGTERM drain exits 0";
  ASSERT_TRUE(server().Restart()) << server().log();
  ForgetAdminToken();
  EXPECT_TRUE(TryLogin(user.username(), kPassword).ok());
  EXPECT_EQ(Sql("SELECT count(*) FROM users WHERE primary_role = 'GLOBAL_ADMIN'"),
            "1");
  EXPECT_EQ(Sql("SELECT count(*) FROM audit_events WHERE action = 'user.bootstrap'"),
            "1");
}

TEST_F(ServerE2eTest, ReplicasStartingTogetherOnAFreshDatabaseMakeOneAdmin) {
  IdentitydServer::Options options;
  options.database_url = SharedPostgres().CreateDatabase("e2e_replicas");
  std::vector<std::unique_ptr<IdentitydServer>> replicas(3);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < replicas.size(); ++i) {
    threads.emplace_back([&, i] { replicas[i] = IdentitydServer::Start(options); });
  }
  for (auto& t : threads) t.join();
  for (const auto& r : replicas) ASSERT_NE(r, nullptr);
  EXPECT_EQ(SharedPostgres().QueryValue(
                "e2e_replicas",
                "SELECT count(*) FROM users WHERE primary_role = 'GLOBAL_ADMIN'"),
            "1");
  // Any replica serves a session made on another.
  auto auth0 = v1::AuthService::NewStub(replicas[0]->NewChannel());
  auto users2 = v1::UserService::NewStub(replicas[2]->NewChannel());
  v1::AuthenticateRequest req;
  req.set_username(options.admin_username);
  req.set_password(options.admin_password);
  v1::AuthenticateResponse login;
  ASSERT_TRUE(auth0->Authenticate(Ctx().get(), req, &login).ok());
  v1::User me;
  EXPECT_TRUE(users2->GetCurrentUser(Ctx(login.session_token()).get(), {}, &me).ok());
}

TEST_F(ServerE2eTest, WrongSettingsStopTheStartWithAClearMessage) {
  struct Case {
    std::string var, value, expect;
    int code;
  };
  for (const Case& c :
       {Case{"IDENTITY_DB_POOL_SIZE", "0", "IDENTITY_DB_POOL_SIZE", 2},
        Case{"IDENTITY_ARGON2_MEMORY_KIB", "64", "IDENTITY_ARGON2_MEMORY_KIB", 2},
        Case{"IDENTITY_BOOTSTRAP_ADMIN_PASSWORD", "short",
             "IDENTITY_BOOTSTRAP_ADMIN_PASSWORD", 2},
        Case{"IDENTITY_LISTEN_ADDRESS", "256.0.0.1:x", "IDENTITY_LISTEN_ADDRESS", 1},
        Case{"IDENTITY_METRICS_ADDRESS", "not-an-address",
             "IDENTITY_METRICS_ADDRESS", 1},
        Case{"IDENTITY_CACHE_TTL_SECONDS", "-1", "IDENTITY_CACHE_TTL_SECONDS", 2},
        Case{"IDENTITY_DATABASE_URL", "postgresql://postgres@127.0.0.1:1/none",
             "database", 1}}) {
    IdentitydServer::Options options = server().options();
    options.env[c.var] = c.value;
    options.env["IDENTITY_DB_STARTUP_TIMEOUT_SECONDS"] = "1";
    std::string dir = MakeTempDir("badcfg-");
    ChildProcess p;
    std::map<std::string, std::string> env = {
        {"IDENTITY_DATABASE_URL", options.database_url},
        {"IDENTITY_LISTEN_ADDRESS", "127.0.0.1:" + std::to_string(FreePort())},
        // Never the default metrics port: something else may hold it.
        {"IDENTITY_METRICS_ADDRESS",
         "127.0.0.1:" + std::to_string(FreePort())},
        {"IDENTITY_BOOTSTRAP_ADMIN_USERNAME", options.admin_username},
        {"IDENTITY_BOOTSTRAP_ADMIN_PASSWORD", options.admin_password}};
    for (const auto& [k, v] : options.env) env[k] = v;
    ASSERT_TRUE(p.Start({IdentitydPath()}, env, dir + "/log"));
    EXPECT_EQ(p.Wait(), c.code) << c.var;
    std::string log = ReadFile(dir + "/log");
    EXPECT_TRUE(absl::StrContains(log, c.expect)) << c.var << ": " << log;
    EXPECT_FALSE(absl::StrContains(log, "short\"")) << "a secret was logged";
  }
}

// A second server started on the address the first one serves (an old
// process left running, a copied setting) must refuse to start: with the
// port shared, the kernel would split callers between the two.
TEST_F(ServerE2eTest, ASecondServerOnATakenAddressRefusesToStart) {
  const std::string dir = MakeTempDir("taken-");
  ChildProcess p;
  std::map<std::string, std::string> env = {
      {"IDENTITY_DATABASE_URL", server().options().database_url},
      {"IDENTITY_LISTEN_ADDRESS", server().address()},
      {"IDENTITY_METRICS_ADDRESS", "127.0.0.1:" + std::to_string(FreePort())},
      {"IDENTITY_BOOTSTRAP_ADMIN_USERNAME", server().options().admin_username},
      {"IDENTITY_BOOTSTRAP_ADMIN_PASSWORD", server().options().admin_password}};
  ASSERT_TRUE(p.Start({IdentitydPath()}, env, dir + "/log"));
  int status = 0;
  bool exited = false;
  for (const absl::Time until = absl::Now() + absl::Seconds(20);
       absl::Now() < until && !exited;) {
    exited = waitpid(p.pid(), &status, WNOHANG) == p.pid();
    if (!exited) absl::SleepFor(absl::Milliseconds(100));
  }
  if (exited) {
    p.Forget();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1) << status;
  } else {
    p.Stop(SIGKILL);
  }
  EXPECT_TRUE(exited) << "the second server shares the address";
  const std::string log = ReadFile(dir + "/log");
  EXPECT_TRUE(absl::StrContains(log, "IDENTITY_LISTEN_ADDRESS")) << log;
  // The first one still answers.
  EXPECT_FALSE(PrincipalOf(AdminToken()).user_id().empty());
}

TEST_F(ServerE2eTest, DatabaseOutageIsUnavailableAndRecoversWithoutRestart) {
  const v1::Organization org = CreateOrg();
  v1::User user = CreateUser(org.id(), "BASIC_USER");
  std::string token = Login(user.username(), kPassword);
  // A writer keeps creating users through the outage; every one it was told
  // was created must be there afterwards.
  std::atomic<bool> writing{true};
  std::vector<std::string> acknowledged;
  std::map<grpc::StatusCode, int> refused;
  const std::string admin = AdminToken();
  std::thread writer([&] {
    for (int i = 0; writing; ++i) {
      v1::CreateUserRequest req;
      req.set_organization_id(org.id());
      req.set_username(Unique("outage"));
      req.set_primary_role("BASIC_USER");
      req.set_generate_password(true);
      v1::CreateUserResponse resp;
      grpc::Status st = users_->CreateUser(Ctx(admin).get(), req, &resp);
      if (st.ok()) {
        acknowledged.push_back(resp.user().id());
      } else {
        ++refused[st.error_code()];
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_TRUE(SharedPostgres().Stop());
  v1::User me;
  auto start = std::chrono::steady_clock::now();
  grpc::Status down = users_->GetCurrentUser(Ctx(token).get(), {}, &me);
  EXPECT_EQ(down.error_code(), grpc::StatusCode::UNAVAILABLE) << down.error_message();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(TryLogin(user.username(), kPassword).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  grpc::health::v1::HealthCheckResponse health;
  auto hs = grpc::health::v1::Health::NewStub(server().NewChannel());
  EXPECT_TRUE(hs->Check(Ctx().get(), {}, &health).ok()) << "the process stays up";
  ASSERT_TRUE(SharedPostgres().Restart());
  grpc::Status up = grpc::Status(grpc::StatusCode::UNAVAILABLE, "");
  for (int i = 0; i < 100 && !up.ok(); ++i) {
    up = users_->GetCurrentUser(Ctx(token).get(), {}, &me);
    if (!up.ok()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(up.ok()) << up.error_message();
  EXPECT_EQ(me.id(), user.id());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  writing = false;
  writer.join();
  EXPECT_GT(refused[grpc::StatusCode::UNAVAILABLE], 0) << "writes were refused";
  for (const auto& [code, n] : refused) {
    EXPECT_EQ(code, grpc::StatusCode::UNAVAILABLE) << n << " other refusals";
  }
  ASSERT_GT(acknowledged.size(), 2u);
  for (const std::string& id : acknowledged) {
    EXPECT_EQ(Sql("SELECT count(*) FROM users WHERE id = '" + id + "'"), "1")
        << "an acknowledged write was lost";
  }
}

TEST_F(ServerE2eTest, OversizedRequestsAreRefusedWithAClearError) {
  v1::CreateUserRequest req;
  req.set_organization_id(CreateOrg().id());
  req.set_username(Unique("big"));
  req.set_primary_role("BASIC_USER");
  req.set_display_name(std::string(2 << 20, 'x'));  // over the 1 MiB default
  v1::CreateUserResponse resp;
  grpc::Status s = users_->CreateUser(Ctx(AdminToken()).get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(s.error_message().find("larger than max"), std::string::npos)
      << s.error_message();
  grpc::health::v1::HealthCheckResponse health;
  auto hs = grpc::health::v1::Health::NewStub(server().NewChannel());
  EXPECT_TRUE(hs->Check(Ctx().get(), {}, &health).ok()) << "and the server lives on";
}

// Protocol buffers nest through groups and sub-messages; a request nested
// deeper than the parser's limit (100) is refused before any handler runs,
// with INVALID_ARGUMENT rather than gRPC's bare INTERNAL.
TEST_F(ServerE2eTest, DeeplyNestedRequestsAreRefusedWithAClearError) {
  std::string bytes;
  for (int i = 0; i < 100000; ++i) bytes += '\x7b';  // field 15, start group
  for (int i = 0; i < 100000; ++i) bytes += '\x7c';  // field 15, end group
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  grpc::GenericStub stub(server().NewChannel());
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + AdminToken());
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
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
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_EQ(s.error_message(),
            "the request body is not a valid message for "
            "/identity.v1.UserService/GetUser: corrupt or truncated protocol "
            "buffer, or nested deeper than 100 levels");
  grpc::health::v1::HealthCheckResponse health;
  auto hs = grpc::health::v1::Health::NewStub(server().NewChannel());
  EXPECT_TRUE(hs->Check(Ctx().get(), {}, &health).ok()) << "and the server lives on";
}

TEST_F(ServerE2eTest, NoSecretEverReachesTheLog) {
  v1::User user = CreateUser(CreateOrg().id(), "BASIC_USER");
  std::string token = Login(user.username(), kPassword);
  (void)TryLogin(user.username(), "Typo-In-Password-77");
  v1::ChangePasswordRequest change;
  change.set_current_password(kPassword);
  change.set_new_password("Fresh-Password-For-Log-Test-1");
  v1::ChangePasswordResponse out;
  ASSERT_TRUE(users_->ChangePassword(Ctx(token).get(), change, &out).ok());
  const std::string log = server().log();
  ASSERT_FALSE(log.empty());
  for (const std::string& secret :
       {std::string(kPassword), std::string("Typo-In-Password-77"),
        std::string("Fresh-Password-For-Log-Test-1"), token, AdminToken(),
        server().options().admin_password, std::string("$argon2id$")}) {
    EXPECT_FALSE(absl::StrContains(log, secret)) << "log contains " << secret;
  }
}

}  // namespace
}  // namespace identity::testing
