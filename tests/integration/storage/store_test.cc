#include <set>
#include <thread>

#include "absl/time/clock.h"
#include "common/crypto.h"
#include "tests/integration/storage/store_fixture.h"

namespace identity::testing {
namespace {

TEST_F(StoreTest, CreatesAndReadsAUserWithItsAuditEvent) {
  domain::User u = MustCreate("Alice@Example.com");
  EXPECT_EQ(u.username, "Alice@Example.com");
  EXPECT_EQ(u.version, 1);
  EXPECT_TRUE(u.enabled);
  auto read = store_->GetUser(u.id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->organization_id, org_.id);
  auto creds = store_->GetCredentialsByUsername("alice@example.COM");
  ASSERT_TRUE(creds.ok()) << "lookup must be case-insensitive";
  EXPECT_EQ(creds->password_hash, "$argon2id$placeholder");
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events WHERE action = "
                  "'user.create' AND target_id = '" + u.id + "'"),
            1);
}

TEST_F(StoreTest, DuplicateUsernameIsAlreadyExistsAndWritesNoAudit) {
  MustCreate("bob@example.com");
  int64_t before = Count("SELECT count(*) FROM audit_events");
  auto dup = store_->CreateUser(NewUser("BOB@example.com"), Audit("user.create"));
  EXPECT_EQ(dup.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.status().message(), "username is already taken");
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events"), before)
      << "the audit event must roll back with the failed change";
}

TEST_F(StoreTest, ConcurrentCreatesOfOneUsernameLetExactlyOneWin) {
  constexpr int kThreads = 8;
  std::vector<absl::StatusCode> codes(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      codes[i] = store_->CreateUser(NewUser("race@example.com"),
                                    Audit("user.create"))
                     .status()
                     .code();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::count(codes.begin(), codes.end(), absl::StatusCode::kOk), 1);
  EXPECT_EQ(std::count(codes.begin(), codes.end(),
                       absl::StatusCode::kAlreadyExists),
            kThreads - 1);
}

TEST_F(StoreTest, StaleVersionIsAbortedAndCurrentVersionApplies) {
  domain::User u = MustCreate("carol@example.com");
  storage::UserProfileUpdate first{u.id, std::nullopt, std::string("Carol")};
  first.expected_version = u.version;
  auto updated = store_->UpdateUserProfile(first, Audit("user.update"));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->display_name, "Carol");
  EXPECT_EQ(updated->version, u.version + 1);

  storage::UserProfileUpdate stale{u.id, std::nullopt, std::string("Lost")};
  stale.expected_version = u.version;
  auto lost = store_->UpdateUserProfile(stale, Audit("user.update"));
  EXPECT_EQ(lost.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(store_->GetUser(u.id)->display_name, "Carol");

  storage::UserProfileUpdate missing{"1b4e28ba-2fa1-11d2-883f-0016d3cca427"};
  EXPECT_EQ(store_->UpdateUserProfile(missing, Audit("x")).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(StoreTest, ListsPageThroughEveryUserOnceInOrder) {
  for (int i = 0; i < 23; ++i) MustCreate(absl::StrCat("user", 100 + i, "@x.io"));
  storage::UserListQuery q;
  q.organization_id = org_.id;
  q.limit = 10;
  std::vector<std::string> names;
  int pages = 0;
  while (pages < 100) {
    auto page = store_->ListUsers(q);
    ASSERT_TRUE(page.ok()) << page.status();
    ++pages;
    for (const auto& u : page->items) names.push_back(u.username);
    if (!page->next) break;
    q.after = page->next;
  }
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(names.size(), 23u);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), 23u);
}

TEST_F(StoreTest, ListFiltersByStatusAndText) {
  domain::User a = MustCreate("dave@x.io");
  MustCreate("erin@x.io");
  ASSERT_TRUE(store_->SetUserEnabled(a.id, false, Audit("user.disable")).ok());
  storage::UserListQuery q;
  q.enabled = false;
  auto disabled = store_->ListUsers(q);
  ASSERT_TRUE(disabled.ok());
  ASSERT_EQ(disabled->items.size(), 1u);
  EXPECT_EQ(disabled->items[0].username, "dave@x.io");
  q = {};
  q.text = "ERIN";
  EXPECT_EQ(store_->ListUsers(q)->items.size(), 1u);
  q.text = "%";  // a LIKE wildcard is matched literally
  EXPECT_EQ(store_->ListUsers(q)->items.size(), 0u);
}

TEST_F(StoreTest, OrganizationWithUsersCannotBeDeleted) {
  MustCreate("frank@x.io");
  auto refused = store_->DeleteOrganization(org_.id, Audit("organization.delete"));
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("1 user"), absl::string_view::npos);
  auto empty = store_->CreateOrganization("empty", Audit("organization.create"));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(store_->DeleteOrganization(empty->id, Audit("organization.delete")).ok());
  EXPECT_EQ(store_->GetOrganization(empty->id).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(StoreTest, OrganizationNamesAreUniqueCaseInsensitively) {
  auto dup = store_->CreateOrganization("ACME", Audit("organization.create"));
  EXPECT_EQ(dup.status().code(), absl::StatusCode::kAlreadyExists);
}

TEST_F(StoreTest, DisablingAUserEndsItsSessions) {
  ASSERT_TRUE(crypto::Init().ok());
  domain::User u = MustCreate("gina@x.io");
  std::string digest = crypto::Sha256("token");
  auto s = store_->CreateSession({u.id, digest, absl::Now() + absl::Hours(1)},
                                 Audit("session.create"));
  ASSERT_TRUE(s.ok()) << s.status();
  auto found = store_->GetSessionByDigest(digest);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->user.id, u.id);
  ASSERT_TRUE(store_->SetUserEnabled(u.id, false, Audit("user.disable")).ok());
  EXPECT_EQ(store_->GetSessionByDigest(digest).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(StoreTest, PasswordChangeEndsOtherSessionsOnly) {
  ASSERT_TRUE(crypto::Init().ok());
  domain::User u = MustCreate("hank@x.io");
  auto keep = store_->CreateSession(
      {u.id, crypto::Sha256("keep"), absl::Now() + absl::Hours(1)}, Audit("s"));
  auto drop = store_->CreateSession(
      {u.id, crypto::Sha256("drop"), absl::Now() + absl::Hours(1)}, Audit("s"));
  ASSERT_TRUE(keep.ok() && drop.ok());
  ASSERT_TRUE(store_->SetPasswordHash(u.id, "$new", keep->id, Audit("pw")).ok());
  EXPECT_TRUE(store_->GetSessionByDigest(crypto::Sha256("keep")).ok());
  EXPECT_FALSE(store_->GetSessionByDigest(crypto::Sha256("drop")).ok());
}

TEST_F(StoreTest, PasswordHistoryKeepsTheNewest24ReplacedHashes) {
  domain::User u = MustCreate("jill@x.io");  // starts with the placeholder
  for (int i = 0; i < 30; ++i) {
    ASSERT_TRUE(store_->SetPasswordHash(u.id, absl::StrCat("$h", i), "",
                                        Audit("user.change_password"))
                    .ok());
  }
  auto history = store_->GetPasswordHistory(u.id, 100);
  ASSERT_TRUE(history.ok()) << history.status();
  ASSERT_EQ(history->size(), 24u);
  EXPECT_EQ(history->front(), "$h28") << "newest first; $h29 is current";
  EXPECT_EQ(history->back(), "$h5");
  EXPECT_EQ(store_->GetCredentials(u.id)->password_hash, "$h29");
}

TEST_F(StoreTest, UnreachableDatabaseIsUnavailableQuickly) {
  storage::ConnectionPool::Options o;
  o.url = "postgresql://postgres@127.0.0.1:1/none";
  o.size = 2;
  auto pool = std::make_shared<storage::ConnectionPool>(o);
  storage::PgStore store(pool);
  const absl::Time start = absl::Now();
  auto r = store.GetUser("1b4e28ba-2fa1-11d2-883f-0016d3cca427");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(r.status().message().find("127.0.0.1"), absl::string_view::npos)
      << "connection details must not reach the caller";
  // While backing off, further calls fail at once instead of reconnecting.
  auto again = store.GetUser("1b4e28ba-2fa1-11d2-883f-0016d3cca427");
  EXPECT_EQ(again.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
}

TEST_F(StoreTest, RecoversAfterADatabaseRestartWithoutLosingWrites) {
  domain::User u = MustCreate("ivan@x.io");
  ASSERT_TRUE(SharedPostgres().Stop());
  auto down = store_->GetUser(u.id);
  EXPECT_EQ(down.status().code(), absl::StatusCode::kUnavailable);
  ASSERT_TRUE(SharedPostgres().Restart());
  absl::StatusOr<domain::User> up = absl::UnavailableError("");
  for (int i = 0; i < 100 && !up.ok(); ++i) {
    up = store_->GetUser(u.id);
    if (!up.ok()) absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_TRUE(up.ok()) << up.status();
  EXPECT_EQ(up->username, "ivan@x.io");
}

}  // namespace
}  // namespace identity::testing
