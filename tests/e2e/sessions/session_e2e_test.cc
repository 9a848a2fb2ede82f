// Organization session policy and session management.
#include <thread>

#include "tests/e2e/e2e_fixture.h"

namespace identity::testing {
namespace {

using SessionE2eTest = E2eTest;

v1::User UserWithSessionPolicy(int64_t idle_s, int64_t absolute_s, int max) {
  v1::Organization org = E2eTest::CreateOrg();
  v1::UpdateOrganizationRequest req;
  req.set_id(org.id());
  req.mutable_session_policy()->set_idle_timeout_seconds(idle_s);
  req.mutable_session_policy()->set_absolute_lifetime_seconds(absolute_s);
  req.mutable_session_policy()->set_max_concurrent_sessions(max);
  v1::Organization out;
  EXPECT_TRUE(E2eTest::orgs_->UpdateOrganization(
                  Ctx(E2eTest::AdminToken()).get(), req, &out)
                  .ok());
  return E2eTest::CreateUser(org.id(), "BASIC_USER");
}

bool Valid(const std::string& token) {
  grpc::Status status;
  E2eTest::PrincipalOf(token, &status);
  return status.ok();
}

TEST_F(SessionE2eTest, MaxConcurrentSessionsEndsTheOldest) {
  v1::User user = UserWithSessionPolicy(0, 0, 2);
  std::string first = Login(user.username(), kPassword);
  std::string second = Login(user.username(), kPassword);
  // Validated, so this replica's cache holds it when the third login ends it:
  // the refusal below must not wait for the change notification.
  EXPECT_TRUE(Valid(first));
  std::string third = Login(user.username(), kPassword);
  EXPECT_FALSE(Valid(first));
  EXPECT_TRUE(Valid(second));
  EXPECT_TRUE(Valid(third));
  v1::ListSessionsResponse list;
  ASSERT_TRUE(auth_->ListSessions(Ctx(third).get(), {}, &list).ok());
  ASSERT_EQ(list.sessions_size(), 2);
  EXPECT_TRUE(list.sessions(0).current()) << "newest first, and it is ours";
  EXPECT_FALSE(list.sessions(1).current());
  EXPECT_NE(list.sessions(0).peer().find("127.0.0.1"), std::string::npos);
}

TEST_F(SessionE2eTest, IdleSessionsEndAndActivityKeepsThemAlive) {
  v1::User user = UserWithSessionPolicy(2, 0, 0);
  std::string idle = Login(user.username(), kPassword);
  std::string busy = Login(user.username(), kPassword);
  for (int i = 0; i < 6; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_TRUE(Valid(busy)) << "activity at " << (i + 1) * 500 << " ms";
  }
  EXPECT_FALSE(Valid(idle)) << "3 s without activity, idle limit 2 s";
}

TEST_F(SessionE2eTest, AbsoluteLifetimeComesFromThePolicy) {
  v1::User user = UserWithSessionPolicy(0, 120, 0);
  v1::AuthenticateResponse login;
  ASSERT_TRUE(TryLogin(user.username(), kPassword, &login).ok());
  const int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
  EXPECT_NEAR(login.expires_at().seconds() - now_s, 120, 10);
}

TEST_F(SessionE2eTest, UsersRevokeTheirOwnSessionsAdminsAnyInTheirOrganization) {
  v1::User user = UserWithSessionPolicy(0, 0, 0);
  std::string mine = Login(user.username(), kPassword);
  std::string other = Login(user.username(), kPassword);
  v1::ListSessionsResponse list;
  ASSERT_TRUE(auth_->ListSessions(Ctx(mine).get(), {}, &list).ok());
  ASSERT_EQ(list.sessions_size(), 2);
  std::string other_id;
  for (const auto& s : list.sessions()) {
    if (!s.current()) other_id = s.id();
  }
  v1::RevokeSessionRequest revoke;
  revoke.set_id(other_id);
  v1::RevokeSessionResponse out;
  ASSERT_TRUE(auth_->RevokeSession(Ctx(mine).get(), revoke, &out).ok());
  EXPECT_FALSE(Valid(other));
  EXPECT_TRUE(Valid(mine));

  // Another user of the same organization cannot see or end them.
  v1::User peer = CreateUser(user.organization_id(), "BASIC_USER");
  std::string peer_token = Login(peer.username(), kPassword);
  v1::ListSessionsRequest theirs;
  theirs.set_user_id(user.id());
  EXPECT_EQ(auth_->ListSessions(Ctx(peer_token).get(), theirs, &list).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // The global admin lists and ends them.
  ASSERT_TRUE(auth_->ListSessions(Ctx(AdminToken()).get(), theirs, &list).ok());
  ASSERT_EQ(list.sessions_size(), 1);
  revoke.set_id(list.sessions(0).id());
  EXPECT_EQ(auth_->RevokeSession(Ctx(peer_token).get(), revoke, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(auth_->RevokeSession(Ctx(AdminToken()).get(), revoke, &out).ok());
  EXPECT_FALSE(Valid(mine));
  EXPECT_EQ(auth_->RevokeSession(Ctx(AdminToken()).get(), revoke, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace identity::testing
