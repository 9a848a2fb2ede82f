// A call refused for lack of a resource says so: RESOURCE_EXHAUSTED (or
// UNAVAILABLE), never INVALID_ARGUMENT or UNKNOWN, so that a client backs
// off and retries instead of reporting a bug in its request.
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "tests/e2e/e2e_fixture.h"

namespace identity::testing {
namespace {

// `callers` threads each log the admin in `each` times at once; the codes
// of the answers, counted.
std::map<grpc::StatusCode, int> ConcurrentAdminLogins(
    const IdentitydServer& server, int callers, int each,
    std::vector<std::string>* messages) {
  std::mutex mu;
  std::map<grpc::StatusCode, int> codes;
  std::vector<std::thread> threads;
  for (int t = 0; t < callers; ++t) {
    threads.emplace_back([&] {
      auto stub = v1::AuthService::NewStub(server.NewChannel());
      for (int i = 0; i < each; ++i) {
        v1::AuthenticateRequest req;
        req.set_username(server.options().admin_username);
        req.set_password(server.options().admin_password);
        v1::AuthenticateResponse resp;
        grpc::Status s = stub->Authenticate(Ctx().get(), req, &resp);
        std::lock_guard<std::mutex> lock(mu);
        ++codes[s.error_code()];
        if (!s.ok()) messages->push_back(s.error_message());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  return codes;
}

// `callers` threads each create `each` users with a password at once as the
// admin: CreateUser holds a server thread while it hashes (tens of
// milliseconds). The codes of the answers, counted.
std::map<grpc::StatusCode, int> ConcurrentUserCreations(
    const IdentitydServer& server, const std::string& token,
    const std::string& org_id, int callers, int each,
    std::vector<std::string>* messages) {
  std::mutex mu;
  std::map<grpc::StatusCode, int> codes;
  std::vector<std::thread> threads;
  for (int t = 0; t < callers; ++t) {
    threads.emplace_back([&] {
      auto stub = v1::UserService::NewStub(server.NewChannel());
      for (int i = 0; i < each; ++i) {
        v1::CreateUserRequest req;
        req.set_organization_id(org_id);
        req.set_username(Unique("crowd"));
        req.set_primary_role("BASIC_USER");
        req.set_password(E2eTest::kPassword);
        v1::CreateUserResponse resp;
        grpc::Status s = stub->CreateUser(Ctx(token).get(), req, &resp);
        std::lock_guard<std::mutex> lock(mu);
        ++codes[s.error_code()];
        if (!s.ok()) messages->push_back(s.error_message());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  return codes;
}

class OutOfThreadsE2eTest : public E2eTest {
 public:
  static void SetUpTestSuite() {
    // The smallest thread count allowed; user creations hash for tens of
    // milliseconds each, so 24 callers at once outnumber the threads.
    ExtraEnv() = {{"IDENTITY_RPC_MAX_THREADS", "4"}};
    E2eTest::SetUpTestSuite();
  }
};

TEST_F(OutOfThreadsE2eTest, CallsRefusedForLackOfThreadsAreResourceExhausted) {
  const std::string token = AdminToken();
  const v1::Organization org = CreateOrg();
  std::vector<std::string> messages;
  const std::map<grpc::StatusCode, int> codes =
      ConcurrentUserCreations(server(), token, org.id(), 24, 4, &messages);
  EXPECT_GT(codes.count(grpc::StatusCode::OK), 0u) << "some calls got through";
  EXPECT_GT(codes.count(grpc::StatusCode::RESOURCE_EXHAUSTED), 0u)
      << "24 callers at once outnumber 4 threads";
  for (const auto& [code, n] : codes) {
    EXPECT_TRUE(code == grpc::StatusCode::OK ||
                code == grpc::StatusCode::RESOURCE_EXHAUSTED)
        << n << " calls answered with code " << code;
  }
  int blamed_on_the_request = 0;
  for (const std::string& m : messages) {
    blamed_on_the_request += m.find("not a valid message") != std::string::npos;
  }
  EXPECT_EQ(blamed_on_the_request, 0)
      << "of " << messages.size() << " refusals";
}

// The hot path does not take a thread of the sync pool: while slow calls
// keep every thread busy (and other calls get RESOURCE_EXHAUSTED),
// validations still answer.
TEST_F(OutOfThreadsE2eTest, TokenValidationsAnswerWhileEveryThreadIsBusy) {
  const std::string token = AdminToken();
  const v1::Organization org = CreateOrg();
  std::vector<std::string> messages;
  std::map<grpc::StatusCode, int> creations;
  std::thread flood([&] {
    creations =
        ConcurrentUserCreations(server(), token, org.id(), 24, 6, &messages);
  });
  std::map<grpc::StatusCode, int> validations;
  for (int i = 0; i < 200; ++i) {
    grpc::Status s;
    PrincipalOf(token, &s);
    ++validations[s.error_code()];
  }
  flood.join();
  EXPECT_GT(creations[grpc::StatusCode::RESOURCE_EXHAUSTED], 0)
      << "the threads were all busy meanwhile";
  EXPECT_EQ(validations[grpc::StatusCode::OK], 200)
      << validations[grpc::StatusCode::RESOURCE_EXHAUSTED]
      << " validations refused for lack of threads";
}

// Logins hold no thread of the sync pool either (they wait on the login
// lanes): as many concurrent logins as fill 4 threads six times over all
// get in.
TEST_F(OutOfThreadsE2eTest, LoginsTakeNoServerThread) {
  std::vector<std::string> messages;
  const std::map<grpc::StatusCode, int> codes =
      ConcurrentAdminLogins(server(), 24, 4, &messages);
  EXPECT_EQ(
      codes.count(grpc::StatusCode::OK) ? codes.at(grpc::StatusCode::OK) : 0,
      24 * 4)
      << (messages.empty() ? "" : "first refusal: " + messages.front());
}

class OutOfHashWorkersE2eTest : public E2eTest {
 public:
  static void SetUpTestSuite() {
    ExtraEnv() = {{"IDENTITY_HASH_WORKERS", "1"}, {"IDENTITY_HASH_QUEUE", "1"}};
    E2eTest::SetUpTestSuite();
  }
};

TEST_F(OutOfHashWorkersE2eTest, LoginsBeyondTheHashQueueAreResourceExhausted) {
  std::vector<std::string> messages;
  const std::map<grpc::StatusCode, int> codes =
      ConcurrentAdminLogins(server(), 8, 4, &messages);
  EXPECT_GT(codes.count(grpc::StatusCode::OK), 0u);
  EXPECT_GT(codes.count(grpc::StatusCode::RESOURCE_EXHAUSTED), 0u)
      << "8 logins at once overflow one worker and a queue of one";
  for (const auto& [code, n] : codes) {
    EXPECT_TRUE(code == grpc::StatusCode::OK ||
                code == grpc::StatusCode::RESOURCE_EXHAUSTED)
        << n << " calls answered with code " << code;
  }
}

class OutOfLoginLaneE2eTest : public E2eTest {
 public:
  static void SetUpTestSuite() {
    ExtraEnv() = {{"IDENTITY_LOGIN_THREADS", "1"},
                  {"IDENTITY_LOGIN_QUEUE", "1"}};
    E2eTest::SetUpTestSuite();
  }
};

TEST_F(OutOfLoginLaneE2eTest, LoginsBeyondTheLoginQueueAreResourceExhausted) {
  std::vector<std::string> messages;
  const std::map<grpc::StatusCode, int> codes =
      ConcurrentAdminLogins(server(), 8, 4, &messages);
  EXPECT_GT(codes.count(grpc::StatusCode::OK), 0u);
  EXPECT_GT(codes.count(grpc::StatusCode::RESOURCE_EXHAUSTED), 0u)
      << "8 logins at once overflow one login thread and a queue of one";
  for (const auto& [code, n] : codes) {
    EXPECT_TRUE(code == grpc::StatusCode::OK ||
                code == grpc::StatusCode::RESOURCE_EXHAUSTED)
        << n << " calls answered with code " << code;
  }
  for (const std::string& m : messages) {
    EXPECT_NE(m.find("too many logins in progress"), std::string::npos) << m;
  }
}

}  // namespace
}  // namespace identity::testing
