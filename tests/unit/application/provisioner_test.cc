// The provisioner's rules against the in-memory store: linking by stable id
// only, refusing name collisions, writing only what changed, and a
// provider's disable apart from an administrator's.
#include "application/identity_providers/provisioner.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/memory/memory_store.h"

namespace identity {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class ProvisionerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto org = store_.CreateOrganization("acme", {});
    ASSERT_TRUE(org.ok()) << org.status();
    org_id_ = org->id;
  }

  ExternalIdentity Seen(const std::string& username,
                        const std::string& external_id) {
    ExternalIdentity seen;
    seen.organization_id = org_id_;
    seen.origin = domain::Origin::kLdap;
    seen.username = username;
    seen.email = username + "@corp.example";
    seen.display_name = username;
    seen.primary_role = "BASIC_USER";
    seen.external_id = external_id;
    seen.directory_dn = "uid=" + username + ",ou=people,dc=corp";
    return seen;
  }

  // Provisions `seen` and returns the local user.
  domain::User Provision(const ExternalIdentity& seen) {
    auto done =
        provisioner_.Apply(caller_, nullptr, seen, ProvisionSource::kLogin);
    EXPECT_TRUE(done.ok()) << done.status();
    return store_.GetUser(done.ok() ? done->user_id : "")
        .value_or(domain::User{});
  }

  std::vector<domain::AuditEntry> AuditsOf(const std::string& action) {
    std::vector<domain::AuditEntry> out;
    for (const domain::AuditEntry& e : store_.AuditEntries()) {
      if (e.action == action) out.push_back(e);
    }
    return out;
  }

  storage::MemoryStore store_;
  Provisioner provisioner_{&store_, &store_};
  Caller caller_{nullptr, "203.0.113.7"};
  std::string org_id_;
};

TEST_F(ProvisionerTest, NameConflictRefusesAnotherOriginOrOrganization) {
  domain::User local;
  local.organization_id = org_id_;
  local.origin = domain::Origin::kInternal;
  EXPECT_EQ(NameConflict(local, Seen("ann", "uuid-ann")),
            "username_belongs_to_another_account");
  local.origin = domain::Origin::kLdap;
  local.organization_id = "another-org";
  EXPECT_EQ(NameConflict(local, Seen("ann", "uuid-ann")),
            "username_belongs_to_another_account");
}

TEST_F(ProvisionerTest, NameConflictLinksOnlyTheSameEntryOrAnUnlinkedUser) {
  domain::User local;
  local.organization_id = org_id_;
  local.origin = domain::Origin::kLdap;
  EXPECT_EQ(NameConflict(local, Seen("ann", "uuid-ann")), "");  // unlinked
  local.directory_dn = "UID=ann,OU=people,DC=corp";
  EXPECT_EQ(NameConflict(local, Seen("ann", "")), "");  // DN in any case
  local.directory_dn = "uid=old-ann,ou=people,dc=corp";
  EXPECT_EQ(NameConflict(local, Seen("ann", "")),
            "username_belongs_to_another_directory_entry");
  local.external_id = "uuid-old";
  EXPECT_EQ(NameConflict(local, Seen("ann", "uuid-new")),
            "username_belongs_to_another_directory_entry");
  EXPECT_EQ(NameConflict(local, Seen("ann", "uuid-old")), "");
}

TEST_F(ProvisionerTest, ChangesListOnlyWhatARefreshWouldWrite) {
  domain::User local = Provision(Seen("ann", "uuid-ann"));
  EXPECT_THAT(Changes(local, Seen("ann", "uuid-ann")), IsEmpty());
  ExternalIdentity seen = Seen("ann", "uuid-ann");
  seen.email = "new@corp.example";
  seen.primary_role = "ADMIN";
  seen.enabled = false;
  EXPECT_THAT(Changes(local, seen),
              ElementsAre("email", "primary_role", "enabled"));
}

TEST_F(ProvisionerTest, FindsByStableIdEvenAfterARename) {
  domain::User ann = Provision(Seen("ann", "uuid-ann"));
  auto found = provisioner_.Find(Seen("ann.smith", "uuid-ann"));
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->user.id, ann.id);
}

TEST_F(ProvisionerTest, NewEntryWithAnOldEntrysNameIsRefused) {
  Provision(Seen("ann", "uuid-ann"));
  auto found = provisioner_.Find(Seen("ann", "uuid-new-ann"));
  EXPECT_TRUE(absl::IsFailedPrecondition(found.status())) << found.status();
  EXPECT_EQ(found.status().message(),
            "username_belongs_to_another_directory_entry");
}

TEST_F(ProvisionerTest, InternalUsersNameIsNeverLinkedToADirectoryEntry) {
  storage::NewUser internal;
  internal.organization_id = org_id_;
  internal.username = "root";
  internal.primary_role = "GLOBAL_ADMIN";
  internal.password_hash = "hash";
  ASSERT_TRUE(store_.CreateUser(internal, {}).ok());
  auto found = provisioner_.Find(Seen("ROOT", "uuid-root"));
  EXPECT_TRUE(absl::IsFailedPrecondition(found.status())) << found.status();
  EXPECT_EQ(found.status().message(), "username_belongs_to_another_account");
}

TEST_F(ProvisionerTest, UnknownIdentityIsNotFoundAndStoreOutageIsNoFallback) {
  EXPECT_TRUE(
      absl::IsNotFound(provisioner_.Find(Seen("ann", "uuid-ann")).status()));
  Provision(Seen("ann", ""));  // an unlinked user holding the name
  store_.FailCalls("GetCredentialsByExternalId",
                   absl::UnavailableError("database unavailable"));
  // Without the stable-id answer, a name match must not stand in for it.
  auto found = provisioner_.Find(Seen("ann", "uuid-ann"));
  EXPECT_TRUE(absl::IsUnavailable(found.status())) << found.status();
}

TEST_F(ProvisionerTest, ProvisioningCreatesALinkedUserWithOneAuditEvent) {
  ExternalIdentity seen = Seen("ann", "uuid-ann");
  auto done =
      provisioner_.Apply(caller_, nullptr, seen, ProvisionSource::kSync);
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->action, Provisioned::Action::kCreated);
  auto ann = store_.GetCredentialsByExternalId(org_id_, domain::Origin::kLdap,
                                               "uuid-ann");
  ASSERT_TRUE(ann.ok()) << ann.status();
  EXPECT_EQ(ann->user.id, done->user_id);
  EXPECT_TRUE(ann->password_hash.empty());
  auto audits = AuditsOf("user.provision");
  ASSERT_EQ(audits.size(), 1u);
  EXPECT_EQ(audits[0].target_id, done->user_id);
  EXPECT_EQ(audits[0].peer, "203.0.113.7");
  EXPECT_THAT(audits[0].details_json, HasSubstr("\"origin\":\"LDAP\""));
  EXPECT_THAT(audits[0].details_json, HasSubstr("\"source\":\"sync\""));
}

TEST_F(ProvisionerTest, UnchangedIdentityWritesNothing) {
  domain::User ann = Provision(Seen("ann", "uuid-ann"));
  const size_t events = store_.AuditEntries().size();
  auto done = provisioner_.Apply(caller_, &ann, Seen("ann", "uuid-ann"),
                                 ProvisionSource::kLogin);
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->action, Provisioned::Action::kUnchanged);
  EXPECT_EQ(store_.AuditEntries().size(), events);
  EXPECT_EQ(store_.GetUser(ann.id)->version, ann.version);
}

TEST_F(ProvisionerTest, RefreshWritesWhatChangedAndKeepsTheLocalName) {
  domain::User ann = Provision(Seen("ann", "uuid-ann"));
  ExternalIdentity seen = Seen("ann.smith", "uuid-ann");
  seen.email = "ann@corp.example";  // unchanged
  seen.display_name = "Ann Smith";
  seen.directory_dn = ann.directory_dn;
  auto done = provisioner_.Apply(caller_, &ann, seen, ProvisionSource::kLogin);
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->action, Provisioned::Action::kUpdated);
  EXPECT_THAT(done->changed, ElementsAre("display_name"));
  EXPECT_TRUE(done->renamed);
  domain::User after = store_.GetUser(ann.id).value();
  EXPECT_EQ(after.username, "ann");
  EXPECT_EQ(after.display_name, "Ann Smith");
  auto audits = AuditsOf("user.refresh");
  ASSERT_EQ(audits.size(), 1u);
  EXPECT_THAT(audits[0].details_json,
              HasSubstr("\"changed\":\"display_name\""));
  EXPECT_THAT(audits[0].details_json,
              HasSubstr("\"directory_username\":\"ann.smith\""));
}

TEST_F(ProvisionerTest, DryRunChangesNothing) {
  domain::User ann = Provision(Seen("ann", "uuid-ann"));
  const size_t events = store_.AuditEntries().size();
  ExternalIdentity seen = Seen("ann", "uuid-ann");
  seen.enabled = false;
  auto done = provisioner_.Apply(caller_, &ann, seen, ProvisionSource::kSync,
                                 /*dry_run=*/true);
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->action, Provisioned::Action::kDisabled);
  auto created = provisioner_.Apply(caller_, nullptr, Seen("bob", "uuid-bob"),
                                    ProvisionSource::kSync, /*dry_run=*/true);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->action, Provisioned::Action::kCreated);
  EXPECT_TRUE(created->user_id.empty());
  EXPECT_TRUE(store_.GetUser(ann.id)->enabled);
  EXPECT_EQ(store_.AuditEntries().size(), events);
}

TEST_F(ProvisionerTest, ProviderDisablesAndEnablesWhatItDisabled) {
  domain::User ann = Provision(Seen("ann", "uuid-ann"));
  ExternalIdentity gone = Seen("ann", "uuid-ann");
  gone.enabled = false;
  auto disabled = provisioner_.Apply(caller_, &ann, gone,
                                     ProvisionSource::kSync, false, "expired");
  ASSERT_TRUE(disabled.ok()) << disabled.status();
  EXPECT_EQ(disabled->action, Provisioned::Action::kDisabled);
  domain::User off = store_.GetUser(ann.id).value();
  EXPECT_FALSE(off.enabled);
  EXPECT_TRUE(off.disabled_by_provider);
  ASSERT_EQ(AuditsOf("user.disable").size(), 1u);
  EXPECT_THAT(AuditsOf("user.disable")[0].details_json,
              HasSubstr("\"reason\":\"expired\""));

  auto enabled = provisioner_.Apply(caller_, &off, Seen("ann", "uuid-ann"),
                                    ProvisionSource::kLogin);
  ASSERT_TRUE(enabled.ok()) << enabled.status();
  EXPECT_EQ(enabled->action, Provisioned::Action::kEnabled);
  EXPECT_TRUE(store_.GetUser(ann.id)->enabled);
  EXPECT_EQ(AuditsOf("user.enable").size(), 1u);
}

TEST_F(ProvisionerTest, ProviderNeverEnablesWhatAnAdministratorDisabled) {
  domain::User ann = Provision(Seen("ann", "uuid-ann"));
  ASSERT_TRUE(store_.SetUserEnabled(ann.id, false, {}).ok());
  domain::User off = store_.GetUser(ann.id).value();
  auto done = provisioner_.Apply(caller_, &off, Seen("ann", "uuid-ann"),
                                 ProvisionSource::kLogin);
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->action, Provisioned::Action::kUnchanged);
  EXPECT_FALSE(store_.GetUser(ann.id)->enabled);
  EXPECT_THAT(AuditsOf("user.enable"), IsEmpty());
}

TEST_F(ProvisionerTest, DisableForProviderIsTheProvidersDoingAndAudited) {
  domain::User ann = Provision(Seen("ann", "uuid-ann"));
  ASSERT_TRUE(provisioner_
                  .DisableForProvider(caller_, ann, "gone",
                                      ProvisionSource::kSync, /*dry_run=*/true)
                  .ok());
  EXPECT_TRUE(store_.GetUser(ann.id)->enabled);
  ASSERT_TRUE(
      provisioner_
          .DisableForProvider(caller_, ann, "gone", ProvisionSource::kSync)
          .ok());
  domain::User off = store_.GetUser(ann.id).value();
  EXPECT_FALSE(off.enabled);
  EXPECT_TRUE(off.disabled_by_provider);
  auto audits = AuditsOf("user.disable");
  ASSERT_EQ(audits.size(), 1u);
  EXPECT_THAT(audits[0].details_json, HasSubstr("\"reason\":\"gone\""));
  // Said again, it changes and writes nothing.
  ASSERT_TRUE(
      provisioner_
          .DisableForProvider(caller_, off, "gone", ProvisionSource::kSync)
          .ok());
  EXPECT_EQ(AuditsOf("user.disable").size(), 1u);
}

}  // namespace
}  // namespace identity
