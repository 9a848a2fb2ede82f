// CreateSession, the one write every login makes: what it ends, what it
// clears, what it records, and what it tells this replica's cache.
#include <set>

#include <pqxx/connection>

#include "absl/time/clock.h"
#include "common/crypto.h"
#include "tests/integration/storage/store_fixture.h"

namespace identity::testing {
namespace {

class RecordingSink : public storage::ChangeSink {
 public:
  void OnChanges(const std::vector<storage::Change>& changes) override {
    for (const storage::Change& c : changes) {
      heard.insert((c.kind == storage::Change::Kind::kSession ? "s:" : "u:") +
                   c.id);
    }
  }
  void OnFeedState(bool) override {}
  std::set<std::string> heard;
};

class StoreSessionsTest : public StoreTest {
 protected:
  absl::StatusOr<domain::Session> Start(const domain::User& u,
                                         const std::string& token,
                                         int max_concurrent,
                                         absl::Duration lifetime = absl::Hours(1)) {
    return store_->CreateSession({u.id, crypto::Sha256(token),
                                  absl::Now() + lifetime, "10.0.0.1:5000",
                                  max_concurrent},
                                 Audit("session.create"));
  }
  bool Exists(const std::string& token) {
    return store_->GetSessionByDigest(crypto::Sha256(token)).ok();
  }
};

TEST_F(StoreSessionsTest, NewSessionEndsExpiredAndOldestBeyondTheLimit) {
  ASSERT_TRUE(crypto::Init().ok());
  RecordingSink sink;
  store_->set_change_sink(&sink);
  domain::User u = MustCreate("ines@x.io");
  auto expired = Start(u, "expired", 0, -absl::Minutes(1));
  auto first = Start(u, "first", 0);
  auto second = Start(u, "second", 0);
  ASSERT_TRUE(expired.ok() && first.ok() && second.ok()) << expired.status();
  EXPECT_TRUE(sink.heard.count("s:" + expired->id))
      << "the expired session ended as the second one started";
  sink.heard.clear();

  auto third = Start(u, "third", 2);
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_EQ(third->user_id, u.id);
  EXPECT_EQ(third->peer, "10.0.0.1:5000");
  EXPECT_FALSE(Exists("first")) << "the oldest beyond a limit of 2";
  EXPECT_TRUE(Exists("second"));
  EXPECT_TRUE(Exists("third"));
  EXPECT_EQ(sink.heard, std::set<std::string>{"s:" + first->id})
      << "this replica forgets the ended session without waiting for NOTIFY";
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events WHERE action = "
                  "'session.create' AND target_id = '" + third->id + "'"),
            1);
}

TEST_F(StoreSessionsTest, NewSessionClearsFailedLoginsAndSaysTheUserChanged) {
  ASSERT_TRUE(crypto::Init().ok());
  RecordingSink sink;
  store_->set_change_sink(&sink);
  domain::User u = MustCreate("joel@x.io");
  ASSERT_TRUE(Start(u, "clean", 0).ok());
  EXPECT_TRUE(sink.heard.empty()) << "nothing to clear, nothing changed";

  domain::LockoutPolicySettings policy;
  ASSERT_TRUE(store_->RecordLoginFailure(u.id, policy, Audit("auth.failure"),
                                         Audit("user.lock"))
                  .ok());
  ASSERT_EQ(Count("SELECT failed_login_attempts FROM users WHERE id = '" +
                  u.id + "'"),
            1);
  sink.heard.clear();
  ASSERT_TRUE(Start(u, "after-failure", 0).ok());
  EXPECT_EQ(Count("SELECT failed_login_attempts FROM users WHERE id = '" +
                  u.id + "'"),
            0);
  EXPECT_EQ(sink.heard, std::set<std::string>{"u:" + u.id});
}

TEST_F(StoreSessionsTest, ASecondAttemptFindsTheSessionAndWritesNothing) {
  // What a retry after a connection broke mid-statement meets when the first
  // attempt committed: the session is there, nothing is written twice.
  ASSERT_TRUE(crypto::Init().ok());
  domain::User u = MustCreate("kira@x.io");
  auto old = Start(u, "old", 2);
  auto first = Start(u, "again", 2);
  ASSERT_TRUE(old.ok() && first.ok());
  auto second = Start(u, "again", 2);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->id, first->id);
  EXPECT_EQ(second->expires_at, first->expires_at);
  EXPECT_TRUE(Exists("old")) << "the limit of 2 already counted this session";
  EXPECT_EQ(Count("SELECT count(*) FROM sessions WHERE user_id = '" + u.id + "'"),
            2);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events WHERE action = "
                  "'session.create' AND target_id = '" + first->id + "'"),
            1);
}

TEST_F(StoreSessionsTest, TheFirstLoginAfterADatabaseRestartStartsItsSession) {
  ASSERT_TRUE(crypto::Init().ok());
  domain::User u = MustCreate("lena@x.io");
  ASSERT_TRUE(Start(u, "before", 0).ok());  // the pool holds a connection now
  ASSERT_TRUE(SharedPostgres().Stop());
  ASSERT_TRUE(SharedPostgres().Restart());
  // Up again, seen from a connection of its own (the pool's are stale).
  bool up = false;
  for (int i = 0; i < 100 && !up; ++i) {
    try {
      pqxx::connection probe(url_);
      up = true;
    } catch (const std::exception&) {
      absl::SleepFor(absl::Milliseconds(100));
    }
  }
  ASSERT_TRUE(up);
  auto after = Start(u, "after", 0);
  ASSERT_TRUE(after.ok()) << "the stale connection is replaced, not reported: "
                          << after.status();
  EXPECT_TRUE(Exists("after"));
}

TEST_F(StoreSessionsTest, SessionForAMissingUserIsRefusedAndLeavesNothing) {
  ASSERT_TRUE(crypto::Init().ok());
  domain::User ghost;
  ghost.id = "00000000-0000-0000-0000-000000000001";
  auto s = Start(ghost, "ghost", 0);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events WHERE action = "
                  "'session.create'"),
            0)
      << "the audit event goes with the session or not at all";
}

}  // namespace
}  // namespace identity::testing
