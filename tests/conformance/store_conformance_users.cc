// Conformance cases: users, names and the last-admin rule.
#include "absl/time/clock.h"
#include "tests/conformance/store_conformance.h"

namespace identity::testing {

void StoreConformance::SetUp() {
  backend_ = GetParam().make();
  ASSERT_NE(backend_, nullptr) << "the store could not be set up";
  store_ = backend_->ports();
  auto org = store_.organization_writes->CreateOrganization(
      "acme", Audit("organization.create"));
  ASSERT_TRUE(org.ok()) << org.status();
  org_id_ = org->id;
}

domain::AuditEntry StoreConformance::Audit(const std::string& action) {
  domain::AuditEntry a;
  a.action = action;
  a.target_type = "user";
  a.peer = "test";
  return a;
}

storage::NewUser StoreConformance::Internal(const std::string& username,
                                            const std::string& role) const {
  storage::NewUser u;
  u.organization_id = org_id_;
  u.username = username;
  u.email = username + "@example.com";
  u.primary_role = role;
  u.password_hash = "$argon2id$placeholder";
  return u;
}

domain::User StoreConformance::MustCreate(const storage::NewUser& user) {
  auto created = store_.user_writes->CreateUser(user, Audit("user.create"));
  EXPECT_TRUE(created.ok()) << created.status();
  return created.value_or(domain::User{});
}

domain::ExternalUser StoreConformance::Ldap(
    const std::string& username, const std::string& external_id) const {
  domain::ExternalUser u;
  u.organization_id = org_id_;
  u.origin = domain::Origin::kLdap;
  u.username = username;
  u.email = username + "@corp.example";
  u.display_name = username;
  u.primary_role = "BASIC_USER";
  u.external_id = external_id;
  u.directory_dn = "uid=" + username + ",ou=people,dc=corp";
  return u;
}

int StoreConformance::AuditCount(const std::string& action,
                                 const std::string& target_id) {
  storage::AuditQuery q;
  q.action = action;
  q.target_id = target_id;
  q.limit = 1000;
  auto page = store_.audit_reads->ListAuditEvents(q);
  EXPECT_TRUE(page.ok()) << page.status();
  return page.ok() ? static_cast<int>(page->items.size()) : -1;
}

absl::StatusOr<bool> StoreConformance::FailLogin(
    const std::string& user_id, const domain::LockoutPolicySettings& policy) {
  return store_.credentials->RecordLoginFailure(
      user_id, policy, Audit("auth.login_failed"), Audit("user.lock"));
}

domain::User StoreConformance::ReadUser(const std::string& id) {
  return store_.user_reads->GetUser(id).value_or(domain::User{});
}

namespace {

using domain::User;

TEST_P(StoreConformance, CreatedUserIsFoundByIdAndByNameInAnyCase) {
  User alice = MustCreate(Internal("Alice"));
  auto by_id = store_.user_reads->GetUser(alice.id);
  ASSERT_TRUE(by_id.ok()) << by_id.status();
  EXPECT_EQ(by_id->username, "Alice");
  EXPECT_TRUE(by_id->enabled);
  auto by_name = store_.user_reads->GetCredentialsByUsername("aLICE");
  ASSERT_TRUE(by_name.ok()) << by_name.status();
  EXPECT_EQ(by_name->user.id, alice.id);
  EXPECT_EQ(by_name->password_hash, "$argon2id$placeholder");
  EXPECT_EQ(AuditCount("user.create", alice.id), 1);
  EXPECT_TRUE(absl::IsNotFound(
      store_.user_reads->GetUser("00000000-0000-4000-8000-999999999999")
          .status()));
}

TEST_P(StoreConformance, NameTakenInAnotherCaseIsRefused) {
  MustCreate(Internal("bob"));
  auto again =
      store_.user_writes->CreateUser(Internal("BOB"), Audit("user.create"));
  EXPECT_TRUE(absl::IsAlreadyExists(again.status())) << again.status();
}

TEST_P(StoreConformance, PendingSelfRegistrationIsInvisibleByName) {
  storage::NewUser registration = Internal("carol");
  registration.pending = true;
  registration.registration_expires_at = absl::Now() + absl::Hours(1);
  User pending = MustCreate(registration);
  EXPECT_TRUE(absl::IsNotFound(
      store_.user_reads->GetCredentialsByUsername("carol").status()));
  EXPECT_TRUE(store_.user_reads->GetUser(pending.id).ok());

  // An invitation is pending too, but holds its name.
  storage::NewUser invited = Internal("dave");
  invited.pending = true;
  MustCreate(invited);
  EXPECT_TRUE(store_.user_reads->GetCredentialsByUsername("dave").ok());

  // Someone else claiming the name replaces the registration.
  User claimed = MustCreate(Internal("CAROL"));
  EXPECT_TRUE(
      absl::IsNotFound(store_.user_reads->GetUser(pending.id).status()));
  auto by_name = store_.user_reads->GetCredentialsByUsername("carol");
  ASSERT_TRUE(by_name.ok()) << by_name.status();
  EXPECT_EQ(by_name->user.id, claimed.id);
  EXPECT_EQ(AuditCount("registration.discard", pending.id), 1);
}

TEST_P(StoreConformance, LastGlobalAdminCannotBeDisabledDemotedOrDeleted) {
  User root = MustCreate(Internal("root", "GLOBAL_ADMIN"));
  auto disabled =
      store_.user_writes->SetUserEnabled(root.id, false, Audit("user.disable"));
  EXPECT_TRUE(absl::IsFailedPrecondition(disabled.status()))
      << disabled.status();
  auto demoted = store_.user_writes->SetPrimaryRole(root.id, "ADMIN",
                                                    Audit("user.set_role"));
  EXPECT_TRUE(absl::IsFailedPrecondition(demoted.status())) << demoted.status();
  EXPECT_TRUE(absl::IsFailedPrecondition(
      store_.user_writes->DeleteUser(root.id, Audit("user.delete"))));

  auto after = store_.user_reads->GetUser(root.id);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_TRUE(after->enabled);
  EXPECT_EQ(after->primary_role, "GLOBAL_ADMIN");
  EXPECT_EQ(AuditCount("user.disable", root.id), 0);

  // With a second way back in, the first may go.
  MustCreate(Internal("root2", "GLOBAL_ADMIN"));
  EXPECT_TRUE(
      store_.user_writes->SetUserEnabled(root.id, false, Audit("user.disable"))
          .ok());
}

TEST_P(StoreConformance, LastGlobalAdminCannotBeDemotedOrDisabledAsProvider) {
  User root = MustCreate(Internal("root", "GLOBAL_ADMIN"));
  domain::ExternalUser demote = Ldap("root", "");
  demote.origin = domain::Origin::kInternal;
  demote.directory_dn.clear();
  auto synced = store_.external_users->SyncExternalUser(root.id, demote,
                                                        Audit("user.refresh"));
  EXPECT_TRUE(absl::IsFailedPrecondition(synced.status())) << synced.status();
  auto by_provider = store_.external_users->SetUserEnabledByProvider(
      root.id, false, Audit("user.disable"));
  EXPECT_TRUE(absl::IsFailedPrecondition(by_provider.status()))
      << by_provider.status();
  auto after = store_.user_reads->GetUser(root.id);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->primary_role, "GLOBAL_ADMIN");
  EXPECT_TRUE(after->enabled);
}

// Only an admin who can log in is a way back in.
TEST_P(StoreConformance, AdminsWhoCannotLogInDoNotCountAsTheWayBackIn) {
  User root = MustCreate(Internal("root", "GLOBAL_ADMIN"));
  storage::NewUser invited = Internal("invited", "GLOBAL_ADMIN");
  invited.pending = true;
  MustCreate(invited);
  storage::NewUser no_password = Internal("nopass", "GLOBAL_ADMIN");
  no_password.password_hash.clear();
  User nopass = MustCreate(no_password);
  domain::ExternalUser directory_admin = Ldap("ldapadmin", "uuid-admin");
  directory_admin.primary_role = "GLOBAL_ADMIN";
  ASSERT_TRUE(
      store_.external_users
          ->SyncExternalUser("", directory_admin, Audit("user.provision"))
          .ok());

  EXPECT_TRUE(absl::IsFailedPrecondition(
      store_.user_writes->SetUserEnabled(root.id, false, Audit("user.disable"))
          .status()));
  EXPECT_TRUE(absl::IsFailedPrecondition(
      store_.user_writes
          ->SetPrimaryRole(root.id, "BASIC_USER", Audit("user.set_role"))
          .status()));
  // The admin without a password is not the way back in, so it may go.
  EXPECT_TRUE(store_.user_writes
                  ->SetUserEnabled(nopass.id, false, Audit("user.disable"))
                  .ok());
}

TEST_P(StoreConformance, ChangesToOtherUsersAreNotHeldBackByTheRule) {
  MustCreate(Internal("root", "GLOBAL_ADMIN"));
  User basic = MustCreate(Internal("basic"));
  auto disabled = store_.user_writes->SetUserEnabled(basic.id, false,
                                                     Audit("user.disable"));
  ASSERT_TRUE(disabled.ok()) << disabled.status();
  EXPECT_FALSE(disabled->enabled);
  EXPECT_FALSE(disabled->disabled_by_provider);
  auto promoted = store_.user_writes->SetPrimaryRole(basic.id, "ADMIN",
                                                     Audit("user.set_role"));
  ASSERT_TRUE(promoted.ok()) << promoted.status();
  EXPECT_EQ(promoted->primary_role, "ADMIN");
}

}  // namespace
}  // namespace identity::testing
