// Account lockout after repeated failed logins (organization policy).
#include <thread>

#include "tests/e2e/e2e_fixture.h"

namespace identity::testing {
namespace {

using LockoutE2eTest = E2eTest;

// An organization with the given lockout policy and one user in it.
v1::User UserWithLockout(int max_attempts, int64_t window_s, int64_t lock_s) {
  v1::Organization org = E2eTest::CreateOrg();
  v1::UpdateOrganizationRequest req;
  req.set_id(org.id());
  req.mutable_lockout_policy()->set_max_failed_attempts(max_attempts);
  req.mutable_lockout_policy()->set_window_seconds(window_s);
  req.mutable_lockout_policy()->set_lockout_seconds(lock_s);
  v1::Organization out;
  grpc::Status s = E2eTest::orgs_->UpdateOrganization(
      Ctx(E2eTest::AdminToken()).get(), req, &out);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return E2eTest::CreateUser(org.id(), "BASIC_USER");
}

v1::User Read(const v1::User& user) {
  v1::GetUserRequest get;
  get.set_id(user.id());
  v1::User out;
  EXPECT_TRUE(E2eTest::users_->GetUser(Ctx(E2eTest::AdminToken()).get(), get,
                                       &out)
                  .ok());
  return out;
}

void FailLogins(const v1::User& user, int n) {
  for (int i = 0; i < n; ++i) {
    grpc::Status s = E2eTest::TryLogin(user.username(), "Wrong-Password-42");
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }
}

TEST_F(LockoutE2eTest, LocksAtTheThresholdLooksLikeAWrongPasswordAdminUnlocks) {
  v1::User user = UserWithLockout(3, 900, 0);
  FailLogins(user, 2);
  EXPECT_FALSE(Read(user).locked());
  EXPECT_EQ(Read(user).failed_login_attempts(), 2) << "the admin sees the count";
  FailLogins(user, 1);
  v1::User locked = Read(user);
  EXPECT_TRUE(locked.locked());
  EXPECT_FALSE(locked.has_locked_until()) << "0 means until an admin unlocks";

  grpc::Status right = TryLogin(user.username(), kPassword);
  EXPECT_EQ(right.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(right.error_message(), "invalid username or password");

  v1::UnlockUserRequest unlock;
  unlock.set_id(user.id());
  v1::User out;
  ASSERT_TRUE(users_->UnlockUser(Ctx(AdminToken()).get(), unlock, &out).ok());
  EXPECT_FALSE(out.locked());
  EXPECT_EQ(out.failed_login_attempts(), 0);
  EXPECT_TRUE(TryLogin(user.username(), kPassword).ok());
  EXPECT_EQ(Sql("SELECT string_agg(action, ',' ORDER BY id) FROM audit_events "
                "WHERE target_id = '" + user.id() + "' AND action IN "
                "('user.lock', 'user.unlock')"),
            "user.lock,user.unlock");
}

TEST_F(LockoutE2eTest, TemporaryLockoutEndsByItself) {
  v1::User user = UserWithLockout(2, 900, 1);
  FailLogins(user, 2);
  v1::User locked = Read(user);
  EXPECT_TRUE(locked.locked());
  EXPECT_TRUE(locked.has_locked_until());
  EXPECT_FALSE(TryLogin(user.username(), kPassword).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(1300));
  EXPECT_FALSE(Read(user).locked());
  EXPECT_TRUE(TryLogin(user.username(), kPassword).ok());
  EXPECT_EQ(Read(user).failed_login_attempts(), 0);
}

TEST_F(LockoutE2eTest, SuccessResetsTheCountAndOldFailuresFallOutOfTheWindow) {
  v1::User user = UserWithLockout(3, 1, 900);
  FailLogins(user, 2);
  ASSERT_TRUE(TryLogin(user.username(), kPassword).ok());
  EXPECT_EQ(Read(user).failed_login_attempts(), 0);
  FailLogins(user, 2);
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  FailLogins(user, 2);
  EXPECT_FALSE(Read(user).locked()) << "2 + 2 failures in separate windows";
  EXPECT_EQ(Read(user).failed_login_attempts(), 2);
}

TEST_F(LockoutE2eTest, ZeroAttemptsDisablesLockout) {
  v1::User user = UserWithLockout(0, 900, 900);
  FailLogins(user, 12);
  EXPECT_FALSE(Read(user).locked());
  EXPECT_TRUE(TryLogin(user.username(), kPassword).ok());
}

TEST_F(LockoutE2eTest, DefaultPolicyLocksAfterTenFailures) {
  v1::User user = CreateUser(CreateOrg().id(), "BASIC_USER");
  FailLogins(user, 9);
  EXPECT_FALSE(Read(user).locked());
  FailLogins(user, 1);
  EXPECT_TRUE(Read(user).locked());
  EXPECT_TRUE(Read(user).has_locked_until()) << "15 minutes by default";
}

}  // namespace
}  // namespace identity::testing
