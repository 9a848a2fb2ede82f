// Counting wrong passwords against the in-memory store: the lock at the
// organization's threshold, the cap on a global admin's lock, and failing
// closed when the count cannot be written.
#include "application/sessions/login_failures.h"

#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/memory/memory_store.h"

namespace identity {
namespace {

using ::testing::HasSubstr;

// Keeps what SecurityAlerts sends.
class RecordingMailer : public Mailer {
 public:
  absl::Status Send(const MailMessage& message) override {
    absl::MutexLock lock(&mu_);
    sent_.push_back(message);
    return absl::OkStatus();
  }
  // Waits (briefly: the sender is a background thread) for `n` messages.
  std::vector<MailMessage> WaitFor(size_t n) {
    absl::MutexLock lock(&mu_);
    auto enough = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return sent_.size() >= n;
    };
    mu_.AwaitWithTimeout(absl::Condition(&enough), absl::Seconds(5));
    return sent_;
  }

 private:
  absl::Mutex mu_;
  std::vector<MailMessage> sent_ ABSL_GUARDED_BY(mu_);
};

class LoginFailuresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto org = store_.CreateOrganization("acme", {});
    ASSERT_TRUE(org.ok()) << org.status();
    storage::OrganizationUpdate update;
    update.id = org->id;
    update.apply = [](domain::Organization* o) {
      o->settings.lockout.max_failed_attempts = 3;
      o->settings.lockout.lockout_seconds = 0;  // until an admin unlocks
      return absl::OkStatus();
    };
    ASSERT_TRUE(store_.UpdateOrganization(update, {}).ok());
    org_id_ = org->id;
  }

  domain::UserCredentials Create(const std::string& username,
                                  const std::string& role) {
    storage::NewUser u;
    u.organization_id = org_id_;
    u.username = username;
    u.email = username + "@example.com";
    u.primary_role = role;
    u.password_hash = "hash";
    auto user = store_.CreateUser(u, {});
    EXPECT_TRUE(user.ok()) << user.status();
    return store_.GetCredentials(user.ok() ? user->id : "")
        .value_or(domain::UserCredentials{});
  }

  absl::Status Guess(const domain::UserCredentials& creds) {
    return failures_.Count(caller_, creds.user.username, creds,
                           "wrong_password");
  }

  int Audits(const std::string& action) {
    int n = 0;
    for (const domain::AuditEntry& e : store_.AuditEntries()) {
      n += e.action == action;
    }
    return n;
  }

  storage::MemoryStore store_;
  RecordingMailer mailer_;
  SecurityAlerts alerts_{&mailer_};
  LoginFailures failures_{&store_, &alerts_};
  Caller caller_{nullptr, "198.51.100.4"};
  std::string org_id_;
};

TEST_F(LoginFailuresTest, EachWrongPasswordIsCountedAndAudited) {
  domain::UserCredentials alice = Create("alice", "BASIC_USER");
  ASSERT_TRUE(Guess(alice).ok());
  ASSERT_TRUE(Guess(alice).ok());
  domain::User after = store_.GetUser(alice.user.id).value();
  EXPECT_EQ(after.failed_login_attempts, 2);
  EXPECT_FALSE(after.locked);
  EXPECT_EQ(Audits("auth.login_failed"), 2);
  const domain::AuditEntry last = store_.AuditEntries().back();
  EXPECT_EQ(last.target_id, alice.user.id);
  EXPECT_EQ(last.peer, "198.51.100.4");
  EXPECT_THAT(last.details_json, HasSubstr("\"reason\":\"wrong_password\""));
}

TEST_F(LoginFailuresTest, ThresholdLocksUntilAnAdministratorUnlocks) {
  domain::UserCredentials alice = Create("alice", "BASIC_USER");
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Guess(alice).ok());
  domain::User locked = store_.GetUser(alice.user.id).value();
  EXPECT_TRUE(locked.locked);
  EXPECT_FALSE(locked.locked_until.has_value());
  EXPECT_EQ(Audits("user.lock"), 1);
  EXPECT_FALSE(RefuseWhileLocked(locked).ok());
  ASSERT_TRUE(store_.UnlockUser(alice.user.id, {}).ok());
  EXPECT_TRUE(RefuseWhileLocked(store_.GetUser(alice.user.id).value()).ok());
}

TEST_F(LoginFailuresTest, StrangerLocksAGlobalAdminForFifteenMinutesAtMost) {
  domain::UserCredentials root = Create("root", "GLOBAL_ADMIN");
  const absl::Time before = absl::Now();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Guess(root).ok());
  domain::User locked = store_.GetUser(root.user.id).value();
  EXPECT_TRUE(locked.locked);
  ASSERT_TRUE(locked.locked_until.has_value());
  EXPECT_GE(*locked.locked_until,
            before + absl::Seconds(kGlobalAdminLockoutSeconds));
  EXPECT_LE(*locked.locked_until,
            absl::Now() + absl::Seconds(kGlobalAdminLockoutSeconds));
  EXPECT_THAT(store_.AuditEntries().back().details_json,
              HasSubstr("\"lockout_seconds\":\"900\""));
}

TEST_F(LoginFailuresTest, FailureThatCannotBeCountedRefusesTheLogin) {
  domain::UserCredentials alice = Create("alice", "BASIC_USER");
  store_.FailCalls("RecordLoginFailure",
                   absl::UnavailableError("database unavailable"));
  absl::Status counted = Guess(alice);
  EXPECT_TRUE(absl::IsUnavailable(counted)) << counted;
  EXPECT_THAT(counted.message(), HasSubstr("try again later"));
  EXPECT_THAT(counted.message(), ::testing::Not(HasSubstr("database")));
}

TEST_F(LoginFailuresTest, LockMailsAUserWhoAskedForAlerts) {
  domain::UserCredentials alice = Create("alice", "BASIC_USER");
  storage::UserProfileUpdate wants;
  wants.id = alice.user.id;
  wants.security_alerts = true;
  ASSERT_TRUE(store_.UpdateUserProfile(wants, {}).ok());
  alice = store_.GetCredentials(alice.user.id).value();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Guess(alice).ok());
  std::vector<MailMessage> sent = mailer_.WaitFor(1);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].to, "alice@example.com");
}

}  // namespace
}  // namespace identity
