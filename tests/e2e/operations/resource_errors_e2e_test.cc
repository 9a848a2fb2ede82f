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

class OutOfThreadsE2eTest : public E2eTest {
 public:
  static void SetUpTestSuite() {
    // The smallest thread count allowed; logins hash for tens of
    // milliseconds each, so 24 callers at once outnumber the threads.
    ExtraEnv() = {{"IDENTITY_RPC_MAX_THREADS", "4"}};
    E2eTest::SetUpTestSuite();
  }
};

TEST_F(OutOfThreadsE2eTest, CallsRefusedForLackOfThreadsAreResourceExhausted) {
  std::vector<std::string> messages;
  const std::map<grpc::StatusCode, int> codes =
      ConcurrentAdminLogins(server(), 24, 4, &messages);
  EXPECT_GT(codes.count(grpc::StatusCode::OK), 0u) << "some logins got through";
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

// The hot path does not take a thread of the sync pool: while logins keep
// every thread busy (and other calls get RESOURCE_EXHAUSTED), validations
// still answer.
TEST_F(OutOfThreadsE2eTest, TokenValidationsAnswerWhileEveryThreadIsBusy) {
  const std::string token = AdminToken();
  std::vector<std::string> messages;
  std::map<grpc::StatusCode, int> logins;
  std::thread flood(
      [&] { logins = ConcurrentAdminLogins(server(), 24, 6, &messages); });
  std::map<grpc::StatusCode, int> validations;
  for (int i = 0; i < 200; ++i) {
    grpc::Status s;
    PrincipalOf(token, &s);
    ++validations[s.error_code()];
  }
  flood.join();
  EXPECT_GT(logins[grpc::StatusCode::RESOURCE_EXHAUSTED], 0)
      << "the threads were all busy meanwhile";
  EXPECT_EQ(validations[grpc::StatusCode::OK], 200)
      << validations[grpc::StatusCode::RESOURCE_EXHAUSTED]
      << " validations refused for lack of threads";
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

}  // namespace
}  // namespace identity::testing
