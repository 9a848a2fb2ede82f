// The credential cache with in-memory loads standing in for the store (the
// e2e tests run it against PostgreSQL's change feed).
#include "application/sessions/credential_cache.h"

#include "absl/time/clock.h"
#include "common/crypto.h"
#include "gtest/gtest.h"

namespace identity {
namespace {

using storage::Change;

domain::SessionWithUser Row(const std::string& session, const std::string& user,
                             const std::string& org) {
  domain::SessionWithUser s;
  s.session.id = session;
  s.user.id = user;
  s.user.organization_id = org;
  return s;
}

class CredentialCacheTest : public ::testing::Test {
 protected:
  CredentialCacheTest() : cache_({absl::Seconds(60), 1000}) {
    cache_.OnFeedState(true);
  }
  // Looks `digest` up; `loads_` counts the trips to the "store".
  bool Cached(const std::string& digest, bool fresh = false) {
    bool cached = false;
    auto row = cache_.Session(digest, fresh, [&] {
      ++loads_;
      return absl::StatusOr<domain::SessionWithUser>(Row("s1", "u1", "o1"));
    }, &cached);
    EXPECT_TRUE(row.ok());
    return cached;
  }

  CredentialCache cache_;
  int loads_ = 0;
};

TEST_F(CredentialCacheTest, ASecondLookupIsServedFromMemory) {
  EXPECT_FALSE(Cached("d1"));
  EXPECT_TRUE(Cached("d1"));
  EXPECT_EQ(loads_, 1);
  EXPECT_FALSE(Cached("d1", /*fresh=*/true)) << "fresh always loads";
  EXPECT_EQ(cache_.stats().hits, 1);
}

// A credential is held under a key that fits a short string, is not the
// digest PostgreSQL finds it by, and comes from a secret of this cache
// alone: another process (or a copy of the database) cannot compute it.
TEST_F(CredentialCacheTest, ACredentialsKeyIsSecretToTheCache) {
  const std::string token = "idt_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
  const std::string key = cache_.KeyOf(token);
  EXPECT_EQ(key.size(), 15u);
  EXPECT_EQ(key, cache_.KeyOf(token));
  EXPECT_NE(key, cache_.KeyOf(token + "H"));
  EXPECT_NE(key, crypto::Sha256(token).substr(0, 15));
  CredentialCache other({absl::Seconds(60), 1000});
  EXPECT_NE(key, other.KeyOf(token));
}

TEST_F(CredentialCacheTest, ChangesToTheSessionUserOrOrganizationDropIt) {
  Cached("d1");
  for (Change change : {Change{Change::Kind::kSession, "s1"},
                        Change{Change::Kind::kUser, "u1"},
                        Change{Change::Kind::kOrganization, "o1"}}) {
    ASSERT_TRUE(Cached("d1"));
    cache_.OnChanges({change});
    EXPECT_FALSE(Cached("d1")) << change.id;
  }
  cache_.OnChanges({{Change::Kind::kUser, "someone-else"},
                    {Change::Kind::kApiKey, "s1"}});
  EXPECT_TRUE(Cached("d1")) << "unrelated changes keep it";
}

// A validation on gRPC's callback thread peeks once: the row when memory
// holds it, nothing (and no load) otherwise.
TEST_F(CredentialCacheTest, APeekAnswersOnlyFromMemory) {
  EXPECT_EQ(cache_.PeekSession("d1").row, nullptr);
  Cached("d1");
  std::shared_ptr<const domain::SessionWithUser> row =
      cache_.PeekSession("d1").row;
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->session.id, "s1");
  EXPECT_EQ(cache_.PeekApiKey("d1").row, nullptr) << "another kind";
  cache_.OnChanges({{Change::Kind::kSession, "s1"}});
  EXPECT_EQ(cache_.PeekSession("d1").row, nullptr) << "dropped by a change";
  Cached("d1");
  cache_.OnFeedState(false);
  EXPECT_EQ(cache_.PeekSession("d1").row, nullptr) << "the feed is down";
  EXPECT_EQ(loads_, 2) << "a peek never loads";
}

TEST_F(CredentialCacheTest, ALoadThatRacedWithAChangeIsNotKept) {
  bool cached = false;
  auto row = cache_.Session("d1", false, [&] {
    // The change is heard while the old row is being read.
    cache_.OnChanges({{Change::Kind::kUser, "u1"}});
    return absl::StatusOr<domain::SessionWithUser>(Row("s1", "u1", "o1"));
  }, &cached);
  ASSERT_TRUE(row.ok());
  EXPECT_FALSE(Cached("d1")) << "the raced row was not remembered";
}

TEST_F(CredentialCacheTest, NothingIsServedWhileTheFeedIsDown) {
  Cached("d1");
  cache_.OnFeedState(false);
  EXPECT_FALSE(Cached("d1"));
  EXPECT_FALSE(Cached("d1")) << "not even what was loaded meanwhile";
  cache_.OnFeedState(true);
  EXPECT_FALSE(Cached("d1")) << "flushed when the feed came back";
  EXPECT_TRUE(Cached("d1"));
  EXPECT_TRUE(cache_.stats().live);
}

TEST_F(CredentialCacheTest, FailedLoadsAndAZeroTtlAreNeverKept) {
  bool cached = false;
  for (int i = 0; i < 2; ++i) {
    auto missing = cache_.Session("d2", false, [&] {
      ++loads_;
      return absl::StatusOr<domain::SessionWithUser>(absl::NotFoundError("no"));
    }, &cached);
    EXPECT_FALSE(missing.ok());
  }
  EXPECT_EQ(loads_, 2);
  CredentialCache off({absl::ZeroDuration(), 1000});
  off.OnFeedState(true);
  for (int i = 0; i < 2; ++i) {
    EXPECT_TRUE(off.Session("d1", false, [&] {
                     ++loads_;
                     return absl::StatusOr<domain::SessionWithUser>(Row("s1", "u1", "o1"));
                   }, &cached).ok());
  }
  EXPECT_EQ(loads_, 4);
  EXPECT_FALSE(cached);
}

TEST_F(CredentialCacheTest, UsersAreDroppedByChangesToThemOrTheirOrganization) {
  int loads = 0;
  auto cached_user = [&](const std::string& id) {
    bool cached = false;
    auto row = cache_.User(id, false, [&] {
      ++loads;
      domain::User u;
      u.id = id;
      u.organization_id = "o1";
      return absl::StatusOr<domain::User>(u);
    }, &cached);
    EXPECT_TRUE(row.ok());
    EXPECT_EQ(row->id, id);
    return cached;
  };
  EXPECT_FALSE(cached_user("u1"));
  EXPECT_TRUE(cached_user("u1"));
  cache_.OnChanges({{Change::Kind::kSession, "u1"}, {Change::Kind::kApiKey, "u1"},
                    {Change::Kind::kUser, "u2"}});
  EXPECT_TRUE(cached_user("u1")) << "other records' changes keep it";
  cache_.OnChanges({{Change::Kind::kUser, "u1"}});
  EXPECT_FALSE(cached_user("u1"));
  cache_.OnChanges({{Change::Kind::kOrganization, "o1"}});
  EXPECT_FALSE(cached_user("u1"));
  cache_.OnFeedState(false);
  EXPECT_FALSE(cached_user("u1")) << "nothing from memory while the feed is down";
  EXPECT_EQ(loads, 4);
}

TEST_F(CredentialCacheTest, ACachedTemporaryLockRunsOutOnTime) {
  const absl::Time until = absl::Now() + absl::Milliseconds(50);
  auto read = [&](bool* cached) {
    return cache_.User("u1", false, [&] {
      domain::User u;
      u.id = "u1";
      u.organization_id = "o1";
      u.locked = true;
      u.locked_until = until;
      return absl::StatusOr<domain::User>(u);
    }, cached);
  };
  bool cached = false;
  EXPECT_TRUE(read(&cached)->locked);
  EXPECT_TRUE(read(&cached)->locked);
  EXPECT_TRUE(cached);
  absl::SleepFor(until - absl::Now() + absl::Milliseconds(5));
  EXPECT_FALSE(read(&cached)->locked) << "no change is announced when it ends";
  EXPECT_TRUE(cached);
}

TEST_F(CredentialCacheTest, LdapProviderSettingsGoWithAChangeToTheirOrganization) {
  int loads = 0;
  auto read = [&](const std::string& org) {
    return cache_.LdapProvider(org, [&] {
      ++loads;
      domain::LdapProviderConfig c;
      c.organization_id = org;
      c.user_filter = "(uid={username})";
      return absl::StatusOr<domain::LdapProviderConfig>(c);
    });
  };
  EXPECT_EQ(read("o1")->user_filter, "(uid={username})");
  EXPECT_EQ(read("o1")->organization_id, "o1");
  EXPECT_EQ(loads, 1) << "the second login reads them from memory";
  cache_.OnChanges({{Change::Kind::kOrganization, "o2"},
                    {Change::Kind::kUser, "o1"}});
  ASSERT_TRUE(read("o1").ok());
  EXPECT_EQ(loads, 1) << "another organization's change, or a user's";
  cache_.OnChanges({{Change::Kind::kOrganization, "o1"}});
  ASSERT_TRUE(read("o1").ok());
  EXPECT_EQ(loads, 2) << "reconfigured: read again";
  Cached("d1");  // a session of organization o1
  cache_.OnChanges({{Change::Kind::kProviderSettings, "o1"}});
  ASSERT_TRUE(read("o1").ok());
  EXPECT_EQ(loads, 3) << "the settings alone changed: read again";
  EXPECT_TRUE(Cached("d1")) << "the organization's sessions stay cached";
  cache_.OnFeedState(false);
  ASSERT_TRUE(read("o1").ok());
  ASSERT_TRUE(read("o1").ok());
  EXPECT_EQ(loads, 5) << "never from memory while changes may be missed";
  EXPECT_EQ(cache_.LdapProvider("o3", [] {
              return absl::StatusOr<domain::LdapProviderConfig>(
                  absl::NotFoundError("no LDAP provider"));
            }).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(CredentialCacheBoundsTest, AFullCacheStartsOver) {
  CredentialCache cache({absl::Seconds(60), 100});
  cache.OnFeedState(true);
  bool cached = false;
  for (int i = 0; i < 250; ++i) {
    EXPECT_TRUE(cache.Session("d" + std::to_string(i), false, [&] {
                       return absl::StatusOr<domain::SessionWithUser>(
                           Row("s" + std::to_string(i), "u", "o"));
                     }, &cached).ok());
  }
  EXPECT_LE(cache.stats().entries, 100u);
}

}  // namespace
}  // namespace identity
