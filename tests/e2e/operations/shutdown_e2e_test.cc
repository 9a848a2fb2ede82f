// SIGTERM while callers keep calling: readiness goes NOT_SERVING first, the
// server keeps answering through the delay, no call it accepted fails, and
// the process exits 0.
#include <atomic>
#include <mutex>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/e2e/e2e_fixture.h"

namespace identity::testing {
namespace {

using ShutdownE2eTest = E2eTest;

TEST_F(ShutdownE2eTest, SigtermDrainsWithoutFailingAcceptedCalls) {
  IdentitydServer::Options o = server().options();
  o.env["IDENTITY_SHUTDOWN_DELAY_SECONDS"] = "1";
  auto s = IdentitydServer::Start(o);
  ASSERT_NE(s, nullptr);

  std::atomic<bool> not_ready{false};
  std::atomic<int> ok{0}, ok_while_not_ready{0};
  std::mutex mu;
  std::map<grpc::StatusCode, int> failures;
  std::vector<std::thread> callers;
  for (int t = 0; t < 4; ++t) {
    callers.emplace_back([&] {
      auto auth = v1::AuthService::NewStub(s->NewChannel());
      int refused_in_a_row = 0;
      const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(8);
      while (refused_in_a_row < 3 && std::chrono::steady_clock::now() < end) {
        v1::AuthenticateRequest req;  // an argon2id hash: a call that takes time
        req.set_username(o.admin_username);
        req.set_password(o.admin_password);
        v1::AuthenticateResponse resp;
        grpc::Status st = auth->Authenticate(Ctx().get(), req, &resp);
        if (st.ok()) {
          ++ok;
          if (not_ready) ++ok_while_not_ready;
          refused_in_a_row = 0;
        } else {
          std::lock_guard<std::mutex> lock(mu);
          ++failures[st.error_code()];
          ++refused_in_a_row;
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  std::thread stopper([&] { EXPECT_EQ(s->Stop(SIGTERM), 0) << "exits 0"; });
  auto health = grpc::health::v1::Health::NewStub(s->NewChannel());
  for (int i = 0; i < 100 && !not_ready; ++i) {
    grpc::health::v1::HealthCheckResponse resp;
    if (health->Check(Ctx().get(), {}, &resp).ok() &&
        resp.status() == grpc::health::v1::HealthCheckResponse::NOT_SERVING) {
      not_ready = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  stopper.join();
  for (std::thread& t : callers) t.join();

  EXPECT_TRUE(not_ready) << "readiness went NOT_SERVING first";
  EXPECT_GT(ok_while_not_ready.load(), 0) << "and calls were still served";
  EXPECT_GT(ok.load(), 10);
  // The server's access log has a line for every call it started: each one
  // must have succeeded and its answer must have reached the caller. Calls
  // it never started (refused or dropped as it stopped accepting) may fail.
  int started_ok = 0, started_failed = 0;
  for (absl::string_view line : absl::StrSplit(s->log(), '\n')) {
    if (!absl::StrContains(line, "\"event\":\"rpc\"") ||
        !absl::StrContains(line, "AuthService/Authenticate")) {
      continue;
    }
    ++(absl::StrContains(line, "\"code\":\"OK\"") ? started_ok : started_failed);
  }
  EXPECT_EQ(started_failed, 0) << "a call the server accepted failed";
  EXPECT_EQ(started_ok, ok.load()) << "an accepted call's answer was lost";
  for (const auto& [code, count] : failures) {
    EXPECT_TRUE(code == grpc::StatusCode::UNAVAILABLE ||
                code == grpc::StatusCode::CANCELLED)
        << count << " calls failed with " << code;
  }
}

}  // namespace
}  // namespace identity::testing
