// Conformance cases: failed-login counting and locks, and users an
// identity provider manages (found by stable id; a provider's disable
// apart from an administrator's).
#include "absl/time/clock.h"
#include "tests/conformance/store_conformance.h"

namespace identity::testing {
namespace {

using domain::User;

domain::LockoutPolicySettings Policy(int max_failed, int64_t lockout_seconds) {
  domain::LockoutPolicySettings p;
  p.max_failed_attempts = max_failed;
  p.window_seconds = 900;
  p.lockout_seconds = lockout_seconds;
  return p;
}

TEST_P(StoreConformance, FailuresCountUpToTheThresholdThenLock) {
  User alice = MustCreate(Internal("alice"));
  const auto policy = Policy(3, 0);
  for (int i = 1; i <= 2; ++i) {
    auto locked = FailLogin(alice.id, policy);
    ASSERT_TRUE(locked.ok()) << locked.status();
    EXPECT_FALSE(*locked);
    EXPECT_EQ(ReadUser(alice.id).failed_login_attempts, i);
    EXPECT_FALSE(ReadUser(alice.id).locked);
  }
  auto third = FailLogin(alice.id, policy);
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_TRUE(*third);
  User locked = ReadUser(alice.id);
  EXPECT_TRUE(locked.locked);
  EXPECT_FALSE(locked.locked_until.has_value());  // until an admin unlocks
  EXPECT_EQ(locked.failed_login_attempts, 0);     // the count starts again

  // Guesses at a locked account still count, but do not lock it again.
  auto fourth = FailLogin(alice.id, policy);
  ASSERT_TRUE(fourth.ok()) << fourth.status();
  EXPECT_FALSE(*fourth);
  EXPECT_TRUE(ReadUser(alice.id).locked);

  storage::AuditQuery lock_events;
  lock_events.action = "user.lock";
  auto locks = store_.audit_reads->ListAuditEvents(lock_events);
  ASSERT_TRUE(locks.ok()) << locks.status();
  EXPECT_EQ(locks->items.size(), 1u);
  storage::AuditQuery failure_events;
  failure_events.action = "auth.login_failed";
  auto failures = store_.audit_reads->ListAuditEvents(failure_events);
  ASSERT_TRUE(failures.ok()) << failures.status();
  EXPECT_EQ(failures->items.size(), 4u);
}

TEST_P(StoreConformance, UnlockClearsTheLockAndTheCount) {
  User alice = MustCreate(Internal("alice"));
  ASSERT_TRUE(FailLogin(alice.id, Policy(1, 0)).value_or(false));
  ASSERT_TRUE(FailLogin(alice.id, Policy(5, 0)).ok());
  auto unlocked =
      store_.credentials->UnlockUser(alice.id, Audit("user.unlock"));
  ASSERT_TRUE(unlocked.ok()) << unlocked.status();
  EXPECT_FALSE(unlocked->locked);
  EXPECT_EQ(unlocked->failed_login_attempts, 0);
  EXPECT_FALSE(ReadUser(alice.id).locked);
  EXPECT_TRUE(
      absl::IsNotFound(store_.credentials
                           ->UnlockUser("00000000-0000-4000-8000-999999999999",
                                        Audit("user.unlock"))
                           .status()));
}

TEST_P(StoreConformance, TemporaryLockEndsAtLockoutSeconds) {
  User alice = MustCreate(Internal("alice"));
  const absl::Time before = absl::Now();
  ASSERT_TRUE(FailLogin(alice.id, Policy(1, 600)).value_or(false));
  User locked = ReadUser(alice.id);
  EXPECT_TRUE(locked.locked);
  ASSERT_TRUE(locked.locked_until.has_value());
  EXPECT_GE(*locked.locked_until, before + absl::Seconds(590));
  EXPECT_LE(*locked.locked_until, absl::Now() + absl::Seconds(610));
}

TEST_P(StoreConformance, ZeroThresholdNeverLocksAndUnknownUsersAreNoError) {
  User alice = MustCreate(Internal("alice"));
  for (int i = 0; i < 5; ++i) {
    auto locked = FailLogin(alice.id, Policy(0, 0));
    ASSERT_TRUE(locked.ok()) << locked.status();
    EXPECT_FALSE(*locked);
  }
  EXPECT_FALSE(ReadUser(alice.id).locked);
  auto unknown =
      FailLogin("00000000-0000-4000-8000-999999999999", Policy(1, 0));
  ASSERT_TRUE(unknown.ok()) << unknown.status();
  EXPECT_FALSE(*unknown);
}

TEST_P(StoreConformance, FoundByStableIdInItsOrganizationAndOriginOnly) {
  auto created = store_.external_users->SyncExternalUser(
      "", Ldap("erin", "uuid-erin"), Audit("user.provision"));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->origin, domain::Origin::kLdap);
  EXPECT_EQ(created->external_id, "uuid-erin");
  EXPECT_EQ(AuditCount("user.provision", created->id), 1);

  auto found = store_.external_users->GetCredentialsByExternalId(
      org_id_, domain::Origin::kLdap, "uuid-erin");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->user.id, created->id);
  EXPECT_TRUE(
      absl::IsNotFound(store_.external_users
                           ->GetCredentialsByExternalId(
                               org_id_, domain::Origin::kSaml, "uuid-erin")
                           .status()));
  auto other = store_.organization_writes->CreateOrganization(
      "other", Audit("organization.create"));
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_TRUE(
      absl::IsNotFound(store_.external_users
                           ->GetCredentialsByExternalId(
                               other->id, domain::Origin::kLdap, "uuid-erin")
                           .status()));
}

TEST_P(StoreConformance, RefreshReplacesProfileAndRolesButNeverTheName) {
  auto created = store_.external_users->SyncExternalUser(
      "", Ldap("frank", "uuid-frank"), Audit("user.provision"));
  ASSERT_TRUE(created.ok()) << created.status();
  domain::ExternalUser seen = Ldap("franklin", "uuid-frank");
  seen.email = "new@corp.example";
  seen.primary_role = "ADMIN";
  seen.add_on_roles = {"BILLING_CONTACT"};
  auto refreshed = store_.external_users->SyncExternalUser(
      created->id, seen, Audit("user.refresh"));
  ASSERT_TRUE(refreshed.ok()) << refreshed.status();
  EXPECT_EQ(refreshed->username, "frank");
  EXPECT_EQ(refreshed->email, "new@corp.example");
  EXPECT_EQ(refreshed->primary_role, "ADMIN");
  EXPECT_EQ(refreshed->add_on_roles,
            std::vector<std::string>{"BILLING_CONTACT"});
  EXPECT_EQ(AuditCount("user.refresh", created->id), 1);
}

TEST_P(StoreConformance, ProviderEnablesOnlyWhatItDisabled) {
  auto user = store_.external_users->SyncExternalUser(
      "", Ldap("gina", "uuid-gina"), Audit("user.provision"));
  ASSERT_TRUE(user.ok()) << user.status();
  auto disabled = store_.external_users->SetUserEnabledByProvider(
      user->id, false, Audit("user.disable"));
  ASSERT_TRUE(disabled.ok()) << disabled.status();
  EXPECT_FALSE(disabled->enabled);
  EXPECT_TRUE(disabled->disabled_by_provider);
  // Saying it again changes nothing and writes nothing.
  ASSERT_TRUE(
      store_.external_users
          ->SetUserEnabledByProvider(user->id, false, Audit("user.disable"))
          .ok());
  auto enabled = store_.external_users->SetUserEnabledByProvider(
      user->id, true, Audit("user.enable"));
  ASSERT_TRUE(enabled.ok()) << enabled.status();
  EXPECT_TRUE(enabled->enabled);
  EXPECT_FALSE(enabled->disabled_by_provider);
  storage::AuditQuery q;
  q.action = "user.disable";
  auto events = store_.audit_reads->ListAuditEvents(q);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ(events->items.size(), 1u);
}

TEST_P(StoreConformance, ProviderNeverUndoesAnAdministratorsDisable) {
  auto user = store_.external_users->SyncExternalUser(
      "", Ldap("hank", "uuid-hank"), Audit("user.provision"));
  ASSERT_TRUE(user.ok()) << user.status();
  ASSERT_TRUE(
      store_.user_writes->SetUserEnabled(user->id, false, Audit("user.disable"))
          .ok());
  auto by_provider = store_.external_users->SetUserEnabledByProvider(
      user->id, true, Audit("user.enable"));
  ASSERT_TRUE(by_provider.ok()) << by_provider.status();
  EXPECT_FALSE(by_provider->enabled);
  auto by_sync = store_.external_users->SyncExternalUser(
      user->id, Ldap("hank", "uuid-hank"), Audit("user.refresh"));
  ASSERT_TRUE(by_sync.ok()) << by_sync.status();
  EXPECT_FALSE(by_sync->enabled);
  EXPECT_FALSE(by_sync->disabled_by_provider);
}

TEST_P(StoreConformance, AdministratorTakesOverAProvidersDisable) {
  auto user = store_.external_users->SyncExternalUser(
      "", Ldap("iris", "uuid-iris"), Audit("user.provision"));
  ASSERT_TRUE(user.ok()) << user.status();
  ASSERT_TRUE(
      store_.external_users
          ->SetUserEnabledByProvider(user->id, false, Audit("user.disable"))
          .ok());
  auto by_admin = store_.user_writes->SetUserEnabled(user->id, false,
                                                     Audit("user.disable"));
  ASSERT_TRUE(by_admin.ok()) << by_admin.status();
  EXPECT_FALSE(by_admin->disabled_by_provider);
  auto by_provider = store_.external_users->SetUserEnabledByProvider(
      user->id, true, Audit("user.enable"));
  ASSERT_TRUE(by_provider.ok()) << by_provider.status();
  EXPECT_FALSE(by_provider->enabled);
}

TEST_P(StoreConformance, UserTheProviderCallsDisabledIsCreatedDisabled) {
  domain::ExternalUser seen = Ldap("jack", "uuid-jack");
  seen.enabled = false;
  auto created = store_.external_users->SyncExternalUser(
      "", seen, Audit("user.provision"));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_FALSE(created->enabled);
  EXPECT_TRUE(created->disabled_by_provider);
  seen.enabled = true;
  auto refreshed = store_.external_users->SyncExternalUser(
      created->id, seen, Audit("user.enable"));
  ASSERT_TRUE(refreshed.ok()) << refreshed.status();
  EXPECT_TRUE(refreshed->enabled);
}

}  // namespace

}  // namespace identity::testing
