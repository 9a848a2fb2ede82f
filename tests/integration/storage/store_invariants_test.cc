// The last-admin rule and the bootstrap, under concurrency.
#include <thread>

#include "tests/integration/storage/store_fixture.h"

namespace identity::testing {
namespace {

using InvariantsTest = StoreTest;

constexpr char kEnabledGlobalAdmins[] =
    "SELECT count(*) FROM users WHERE primary_role = 'GLOBAL_ADMIN' "
    "AND origin = 'INTERNAL' AND enabled";

TEST_F(InvariantsTest, LastGlobalAdminCannotBeDisabledDemotedOrDeleted) {
  domain::User root = MustCreate("root@x.io", "GLOBAL_ADMIN");
  auto disabled = store_->SetUserEnabled(root.id, false, Audit("user.disable"));
  EXPECT_EQ(disabled.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(disabled.status().message().find("last enabled internal GLOBAL_ADMIN"),
            absl::string_view::npos);
  EXPECT_EQ(store_->SetPrimaryRole(root.id, "ADMIN", Audit("r")).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->DeleteUser(root.id, Audit("d")).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Count(kEnabledGlobalAdmins), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events WHERE target_id = '" +
                  root.id + "' AND action <> 'user.create'"),
            0);

  domain::User second = MustCreate("root2@x.io", "GLOBAL_ADMIN");
  EXPECT_TRUE(store_->SetUserEnabled(root.id, false, Audit("user.disable")).ok());
  EXPECT_EQ(store_->DeleteUser(second.id, Audit("d")).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(InvariantsTest, TwoAdminsDisablingEachOtherAtOnceLeaveOne) {
  for (int round = 0; round < 10; ++round) {
    domain::User a = MustCreate(absl::StrCat("a", round, "@x.io"), "GLOBAL_ADMIN");
    domain::User b = MustCreate(absl::StrCat("b", round, "@x.io"), "GLOBAL_ADMIN");
    // Only a and b are enabled global admins in this round.
    ASSERT_EQ(Count(kEnabledGlobalAdmins), 2 + 0);
    std::thread ta([&] { store_->SetUserEnabled(a.id, false, Audit("x")).IgnoreError(); });
    std::thread tb([&] { store_->DeleteUser(b.id, Audit("x")).IgnoreError(); });
    ta.join();
    tb.join();
    ASSERT_EQ(Count(kEnabledGlobalAdmins), 1) << "round " << round;
    // Retire the survivor's partner set-up for the next round.
    auto left = store_->ListUsers({});
    for (const auto& u : left->items) {
      if (u.primary_role == "GLOBAL_ADMIN" && u.enabled) {
        ASSERT_TRUE(SharedPostgres().Psql(url_.substr(url_.rfind('/') + 1),
                                          "UPDATE users SET enabled = false WHERE id = '" +
                                              u.id + "'") == 0);
      }
    }
  }
}

TEST_F(InvariantsTest, ConcurrentBootstrapsCreateExactlyOneAdmin) {
  constexpr int kReplicas = 8;
  std::vector<absl::StatusOr<bool>> results(kReplicas, false);
  std::vector<std::thread> threads;
  for (int i = 0; i < kReplicas; ++i) {
    threads.emplace_back([&, i] {
      auto pool = NewPool(1);
      storage::PgStore store(pool);
      storage::NewUser admin = NewUser("boot@x.io", "GLOBAL_ADMIN");
      results[i] = store.EnsureBootstrapAdmin(admin, "system", Audit("user.bootstrap"));
    });
  }
  for (auto& t : threads) t.join();
  int created = 0;
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.status();
    created += *r ? 1 : 0;
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(Count(kEnabledGlobalAdmins), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM organizations WHERE name = 'system'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events WHERE action = 'user.bootstrap'"), 1);
}

TEST_F(InvariantsTest, BootstrapRefusesAUsernameHeldByAnotherUser) {
  MustCreate("taken@x.io", "BASIC_USER");
  auto r = store_->EnsureBootstrapAdmin(NewUser("TAKEN@x.io", "GLOBAL_ADMIN"),
                                        "system", Audit("user.bootstrap"));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("IDENTITY_BOOTSTRAP_ADMIN_USERNAME"),
            absl::string_view::npos);
}

TEST_F(InvariantsTest, APendingGlobalAdminNeitherCountsNorBlocksTheBootstrap) {
  // A mistyped invitation: pending, no password, but enabled.
  storage::NewUser typo = NewUser("typo@x.io", "GLOBAL_ADMIN");
  typo.pending = true;
  typo.password_hash.clear();
  ASSERT_TRUE(store_->CreateUser(typo, Audit("user.invite")).ok());
  auto created = store_->EnsureBootstrapAdmin(
      NewUser("boot@x.io", "GLOBAL_ADMIN"), "system", Audit("user.bootstrap"));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(*created) << "the invitation is no way back in";
  auto boot = store_->GetCredentialsByUsername("boot@x.io");
  ASSERT_TRUE(boot.ok());
  EXPECT_EQ(store_->SetUserEnabled(boot->user.id, false, Audit("user.disable"))
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(InvariantsTest, AFailedLoginIsCountedEvenWhenItsAuditRowFails) {
  domain::User user = MustCreate("guessed@x.io");
  domain::LockoutPolicySettings policy;
  policy.max_failed_attempts = 2;
  domain::AuditEntry broken = Audit("auth.login_failed");
  broken.details_json = "{not json";  // what a NUL once did to the row
  auto first = store_->RecordLoginFailure(user.id, policy, broken, broken);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(*first);
  EXPECT_EQ(Count("SELECT failed_login_attempts FROM users WHERE id = '" +
                  user.id + "'"),
            1);
  auto second = store_->RecordLoginFailure(user.id, policy, broken, broken);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_TRUE(*second) << "the second failure reaches the threshold";
  EXPECT_EQ(Count("SELECT count(*) FROM users WHERE locked AND id = '" +
                  user.id + "'"),
            1);
}

}  // namespace
}  // namespace identity::testing
