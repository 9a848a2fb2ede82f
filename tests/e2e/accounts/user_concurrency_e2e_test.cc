// Concurrent writers on one user: optimistic versions turn a race into
// ABORTED for the losers, never a silently lost update.
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/e2e_fixture.h"

namespace identity::testing {
namespace {

using UserConcurrencyE2eTest = E2eTest;

// Writers racing on one version: one wins, the others get ABORTED and
// nothing is silently overwritten (no lost update).
TEST_F(UserConcurrencyE2eTest, ConcurrentUpdatesOfOneVersionLetExactlyOneWin) {
  v1::User user = CreateUser(CreateOrg().id(), "BASIC_USER");
  const std::string token = AdminToken();
  std::vector<grpc::Status> results(6);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] {
      v1::UpdateUserRequest req;
      req.set_id(user.id());
      req.set_display_name("Writer " + std::to_string(i));
      req.set_version(user.version());
      v1::User out;
      results[i] = users_->UpdateUser(Ctx(token).get(), req, &out);
    });
  }
  for (auto& t : threads) t.join();
  int winner = -1;
  for (size_t i = 0; i < results.size(); ++i) {
    if (results[i].ok()) {
      EXPECT_EQ(winner, -1) << "two writers of one version both succeeded";
      winner = static_cast<int>(i);
    } else {
      EXPECT_EQ(results[i].error_code(), grpc::StatusCode::ABORTED)
          << results[i].error_message();
    }
  }
  ASSERT_NE(winner, -1);
  v1::GetUserRequest get;
  get.set_id(user.id());
  v1::User now;
  ASSERT_TRUE(users_->GetUser(Ctx(token).get(), get, &now).ok());
  EXPECT_EQ(now.display_name(), "Writer " + std::to_string(winner));
  EXPECT_EQ(now.version(), user.version() + 1);
}

}  // namespace
}  // namespace identity::testing
