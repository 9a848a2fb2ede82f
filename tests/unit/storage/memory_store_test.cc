// The in-memory store: the conformance cases, and what only the fake offers
// (a clock the test moves, failures on demand).
#include "storage/memory/memory_store.h"

#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/conformance/store_conformance.h"

namespace identity::testing {
namespace {

class MemoryBackend : public StoreBackend {
 public:
  StorePorts ports() override { return PortsOf(&store_); }

 private:
  storage::MemoryStore store_;
};

INSTANTIATE_TEST_SUITE_P(Memory, StoreConformance,
                         ::testing::Values(BackendFactory{
                             "Memory", [] {
                               return std::make_unique<MemoryBackend>();
                             }}));

class MemoryStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto org = store_.CreateOrganization("acme", {});
    ASSERT_TRUE(org.ok()) << org.status();
    storage::NewUser u;
    u.organization_id = org->id;
    u.username = "alice";
    u.primary_role = "BASIC_USER";
    u.password_hash = "hash";
    auto user = store_.CreateUser(u, {});
    ASSERT_TRUE(user.ok()) << user.status();
    user_id_ = user->id;
  }

  absl::Time now_ = absl::FromUnixSeconds(1'800'000'000);
  storage::MemoryStore store_{[this] { return now_; }};
  std::string user_id_;
};

TEST_F(MemoryStoreTest, FailureOutsideTheWindowStartsANewCount) {
  domain::LockoutPolicySettings policy;
  policy.max_failed_attempts = 3;
  policy.window_seconds = 60;
  ASSERT_TRUE(store_.RecordLoginFailure(user_id_, policy, {}, {}).ok());
  ASSERT_TRUE(store_.RecordLoginFailure(user_id_, policy, {}, {}).ok());
  now_ += absl::Seconds(61);
  auto third = store_.RecordLoginFailure(user_id_, policy, {}, {});
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_FALSE(*third);
  EXPECT_EQ(store_.GetUser(user_id_)->failed_login_attempts, 1);
}

TEST_F(MemoryStoreTest, TemporaryLockRunsOut) {
  domain::LockoutPolicySettings policy;
  policy.max_failed_attempts = 1;
  policy.lockout_seconds = 60;
  ASSERT_TRUE(store_.RecordLoginFailure(user_id_, policy, {}, {}).value());
  EXPECT_TRUE(store_.GetUser(user_id_)->locked);
  now_ += absl::Seconds(61);
  EXPECT_FALSE(store_.GetUser(user_id_)->locked);
}

TEST_F(MemoryStoreTest, InjectedFailureChangesNothingUntilCleared) {
  store_.FailCalls("RecordLoginFailure",
                   absl::UnavailableError("database unavailable"));
  auto failed = store_.RecordLoginFailure(user_id_, {}, {}, {});
  EXPECT_TRUE(absl::IsUnavailable(failed.status())) << failed.status();
  EXPECT_EQ(store_.GetUser(user_id_)->failed_login_attempts, 0);
  store_.FailCalls("RecordLoginFailure", absl::OkStatus());
  EXPECT_TRUE(store_.RecordLoginFailure(user_id_, {}, {}, {}).ok());
  EXPECT_EQ(store_.GetUser(user_id_)->failed_login_attempts, 1);
}

TEST_F(MemoryStoreTest, ParallelFailuresAreEachCounted) {
  domain::LockoutPolicySettings policy;
  policy.max_failed_attempts = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        ASSERT_TRUE(store_.RecordLoginFailure(user_id_, policy, {}, {}).ok());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(store_.GetUser(user_id_)->failed_login_attempts, 400);
}

}  // namespace
}  // namespace identity::testing
