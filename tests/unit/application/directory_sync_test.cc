// The directory sync against the in-memory store and a directory of a kind
// the sync knows nothing of: it needs only the DirectoryProvider capability
// from the registry.
#include "application/identity_providers/directory_sync.h"

#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "domain/operations.h"
#include "domain/roles.h"
#include "storage/memory/memory_store.h"

namespace identity {
namespace {

using ::testing::HasSubstr;

// A directory that lists what the test puts in it.
class ListedDirectory : public DirectoryProvider {
 public:
  absl::string_view name() const override { return "static"; }
  domain::Origin origin() const override { return domain::Origin::kLdap; }
  absl::Status ForEachUser(
      const std::string& organization_id,
      const std::function<void(ListedUser)>& each) override {
    if (!unavailable.ok()) return unavailable;
    for (const ListedUser& u : users) each(u);
    return absl::OkStatus();
  }
  std::string EmptyListingHint() const override { return "in its file"; }

  std::vector<ListedUser> users;
  absl::Status unavailable;
};

// Named locks as replicas share them.
class Locks : public storage::ClusterLocks {
 public:
  absl::StatusOr<std::unique_ptr<storage::ClusterLock>> TryClusterLock(
      absl::string_view name) override {
    if (held.count(std::string(name)) != 0) {
      return absl::AbortedError("held elsewhere");
    }
    return std::make_unique<storage::ClusterLock>();
  }
  std::set<std::string> held;
};

class DirectorySyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto org = store_.CreateOrganization("acme", {});
    ASSERT_TRUE(org.ok()) << org.status();
    org_id_ = org->id;
    auto directory = std::make_unique<ListedDirectory>();
    directory_ = directory.get();
    ProviderCapabilities capabilities;
    capabilities.directory = std::move(directory);
    registry_.Add(domain::Origin::kLdap, std::move(capabilities));
    domain::User admin;
    admin.id = "2c4e2f1c-5d6b-4c3a-9e8f-7a6b5c4d3e2f";
    admin.organization_id = org_id_;
    admin.primary_role = std::string(kGlobalAdmin);
    admin_ = PrincipalFor(admin);
  }

  ListedUser Listed(const std::string& username, const std::string& id,
                    bool enabled = true) {
    ListedUser listed;
    ExternalIdentity& u = listed.identity;
    u.organization_id = org_id_;
    u.origin = domain::Origin::kLdap;
    u.username = username;
    u.email = username + "@corp.example";
    u.display_name = username;
    u.primary_role = "BASIC_USER";
    u.external_id = id;
    u.enabled = enabled;
    listed.entry = "uid=" + username + ",ou=people";
    listed.state = enabled ? "" : "disabled in the directory";
    return listed;
  }

  absl::StatusOr<SyncReport> Sync(bool dry_run = false) {
    return sync_.Run(caller_, op::kSyncLdapUsers, domain::Origin::kLdap,
                     org_id_, dry_run);
  }

  domain::User User(const std::string& username) {
    auto found = store_.GetCredentialsByUsername(username);
    EXPECT_TRUE(found.ok()) << username << ": " << found.status();
    return found.ok() ? found->user : domain::User{};
  }

  storage::MemoryStore store_;
  Locks locks_;
  Provisioner provisioner_{&store_, &store_};
  ProviderRegistry registry_;
  DirectorySync sync_{
      {&store_, &store_, &locks_, &provisioner_, &registry_}};
  ListedDirectory* directory_ = nullptr;
  Principal admin_;
  Caller caller_{&admin_, "203.0.113.7"};
  std::string org_id_;
};

TEST_F(DirectorySyncTest, CreatesFollowsRenamesAndDisablesLeavers) {
  directory_->users = {Listed("alice", "id-a"), Listed("bob", "id-b"),
                       Listed("carol", "id-c")};
  absl::StatusOr<SyncReport> first = Sync();
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->created, 3);

  // Bob is renamed in the directory, carol leaves it, dave is disabled there.
  directory_->users = {Listed("alice", "id-a"), Listed("robert", "id-b"),
                       Listed("dave", "id-d", false)};
  absl::StatusOr<SyncReport> second = Sync();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->unchanged, 1);
  EXPECT_EQ(second->updated, 1) << "bob, renamed: the same account";
  EXPECT_EQ(second->created, 1) << "dave, created disabled";
  EXPECT_EQ(second->disabled, 1) << "carol, gone from the directory";
  // The account keeps its local name; the report names the new one.
  EXPECT_EQ(User("bob").external_id, "id-b");
  EXPECT_TRUE(User("bob").enabled);
  EXPECT_FALSE(store_.GetCredentialsByUsername("robert").ok());
  bool reported = false;
  for (const SyncChange& c : second->changes) {
    reported |= c.username == "bob" && c.action == "updated" &&
                c.reason.find("directory username robert") != std::string::npos;
  }
  EXPECT_TRUE(reported);
  EXPECT_FALSE(User("carol").enabled);
  EXPECT_FALSE(User("dave").enabled);
  EXPECT_TRUE(User("alice").enabled);
}

TEST_F(DirectorySyncTest, AnEmptyListingDisablesNobody) {
  directory_->users = {Listed("alice", "id-a")};
  ASSERT_TRUE(Sync().ok());
  directory_->users.clear();
  absl::StatusOr<SyncReport> empty = Sync();
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(empty.status().message(), HasSubstr("in its file"));
  EXPECT_TRUE(User("alice").enabled);
}

TEST_F(DirectorySyncTest, AFailedListingChangesNothing) {
  directory_->users = {Listed("alice", "id-a")};
  ASSERT_TRUE(Sync().ok());
  directory_->users = {Listed("bob", "id-b")};
  directory_->unavailable = absl::UnavailableError("the directory is down");
  EXPECT_EQ(Sync().status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(User("alice").enabled);
  EXPECT_FALSE(store_.GetCredentialsByUsername("bob").ok());
}

TEST_F(DirectorySyncTest, ADryRunReportsWithoutChanging) {
  directory_->users = {Listed("alice", "id-a")};
  absl::StatusOr<SyncReport> dry = Sync(/*dry_run=*/true);
  ASSERT_TRUE(dry.ok()) << dry.status();
  EXPECT_EQ(dry->created, 1);
  EXPECT_FALSE(store_.GetCredentialsByUsername("alice").ok());
}

TEST_F(DirectorySyncTest, OneSyncAtATimeAcrossReplicas) {
  locks_.held.insert("static_sync:" + org_id_);
  EXPECT_EQ(Sync().status().code(), absl::StatusCode::kAborted);
}

TEST_F(DirectorySyncTest, AnOriginWithoutADirectoryIsRefused) {
  absl::StatusOr<SyncReport> r = sync_.Run(
      caller_, op::kSyncLdapUsers, domain::Origin::kSaml, org_id_, false);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(DirectorySyncTest, ACallerWithoutThePermissionChangesNothing) {
  domain::User basic;
  basic.id = "3c4e2f1c-5d6b-4c3a-9e8f-7a6b5c4d3e2f";
  basic.organization_id = org_id_;
  basic.primary_role = "BASIC_USER";
  const Principal p = PrincipalFor(basic);
  directory_->users = {Listed("alice", "id-a")};
  absl::StatusOr<SyncReport> r = sync_.Run(
      Caller{&p, "203.0.113.7"}, op::kSyncLdapUsers, domain::Origin::kLdap,
      org_id_, false);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_FALSE(store_.GetCredentialsByUsername("alice").ok());
}

}  // namespace
}  // namespace identity
