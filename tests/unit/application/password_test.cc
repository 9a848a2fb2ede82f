#include <atomic>
#include <set>

#include "absl/cleanup/cleanup.h"
#include "application/users/password_hasher.h"
#include "common/bounded_executor.h"
#include "common/crypto.h"
#include "domain/password_policy.h"
#include "gtest/gtest.h"

namespace identity {
namespace {

TEST(PasswordPolicyTest, RefusesShortEmptyAndUsernameEqualPasswords) {
  PasswordPolicy policy;
  EXPECT_TRUE(CheckPassword(policy, "password", "correct-horse-battery", "bob",
                            "bob@example.com")
                  .ok());
  EXPECT_EQ(CheckPassword(policy, "password", "", "bob", "").code(),
            absl::StatusCode::kInvalidArgument);
  absl::Status short_pw = CheckPassword(policy, "password", "short", "bob", "");
  EXPECT_NE(short_pw.message().find("at least 12"), absl::string_view::npos);
  EXPECT_FALSE(CheckPassword(policy, "password", "Bob@Example.com", "x",
                             "bob@example.com")
                   .ok());
  EXPECT_FALSE(
      CheckPassword(policy, "password", std::string(2000, 'a'), "b", "").ok());
}

TEST(PasswordPolicyTest, CharacterClassesAreEnforcedWhenRequired) {
  domain::PasswordPolicySettings org;
  org.min_length = 10;
  org.require_upper = org.require_digit = org.require_symbol = true;
  PasswordPolicy policy = PasswordPolicy::For(org, PasswordPolicy{});
  EXPECT_EQ(policy.min_length, 12) << "never below the server's floor";
  absl::Status s = CheckPassword(policy, "password", "alllowercase-1", "u", "");
  EXPECT_NE(s.message().find("upper-case"), absl::string_view::npos) << s;
  s = CheckPassword(policy, "password", "NoDigitsHere-ok", "u", "");
  EXPECT_NE(s.message().find("digit"), absl::string_view::npos) << s;
  s = CheckPassword(policy, "password", "NoSymbols12345", "u", "");
  EXPECT_NE(s.message().find("symbol"), absl::string_view::npos) << s;
  EXPECT_TRUE(CheckPassword(policy, "password", "Has-All-Of-1t", "u", "").ok());
  org.min_length = 40;
  PasswordPolicy strict = PasswordPolicy::For(org, PasswordPolicy{});
  EXPECT_TRUE(
      CheckPassword(strict, "p", GeneratePassword(strict), "u", "").ok());
}

TEST(PasswordPolicyTest, ErrorNeverContainsThePassword) {
  absl::Status s =
      CheckPassword(PasswordPolicy{}, "new_password", "hunter2", "bob", "");
  EXPECT_EQ(s.message().find("hunter2"), absl::string_view::npos);
  EXPECT_EQ(s.message().rfind("new_password", 0), 0u);
}

TEST(PasswordPolicyTest, GeneratedPasswordsPassThePolicyAndDiffer) {
  ASSERT_TRUE(crypto::Init().ok());
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string p = GeneratePassword();
    EXPECT_TRUE(CheckPassword(PasswordPolicy{}, "p", p, "user", "").ok());
    EXPECT_TRUE(std::any_of(p.begin(), p.end(), ::isupper));
    EXPECT_TRUE(std::any_of(p.begin(), p.end(), ::islower));
    EXPECT_TRUE(std::any_of(p.begin(), p.end(), ::isdigit));
    EXPECT_TRUE(std::any_of(p.begin(), p.end(), ::ispunct));
    seen.insert(p);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(PasswordHasherTest, HashesInPhcFormWithOwaspParameters) {
  ASSERT_TRUE(crypto::Init().ok());
  BoundedExecutor pool(2, 8);
  PasswordHasher hasher(Argon2Params{}, &pool);
  absl::StatusOr<std::string> hash = hasher.Hash("correct horse");
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << *hash;
  EXPECT_TRUE(*hasher.Verify(*hash, "correct horse"));
  EXPECT_FALSE(*hasher.Verify(*hash, "correct horsE"));
  EXPECT_FALSE(*hasher.Verify("not a hash", "x"));
  EXPECT_FALSE(hasher.NeedsRehash(*hash));
  PasswordHasher stronger(Argon2Params{32768, 3}, &pool);
  EXPECT_TRUE(stronger.NeedsRehash(*hash));
  EXPECT_TRUE(
      *stronger.Verify(*hash, "correct horse"));  // old hashes still work
}

// Deterministic on a loaded machine: the worker is known to hold the first
// task and the queue to hold the second before the third is offered (with
// sleeps instead, a slow start let the third queue behind a task that never
// ends, and the test hung). The third is posted, not run, so that a broken
// fence fails the test rather than hanging it.
TEST(BoundedExecutorTest, ShedsLoadWhenTheQueueIsFull) {
  // Declared before the pool, whose destructor joins the worker that uses
  // them; released on every way out of the test.
  absl::Mutex mu;
  bool started = false;
  bool release = false;
  std::atomic<int> second{0};
  BoundedExecutor pool(1, 1);
  auto let_go = absl::MakeCleanup([&] {
    absl::MutexLock l(&mu);
    release = true;
  });
  ASSERT_TRUE(pool.Post([&] {
                    absl::MutexLock l(&mu);
                    started = true;
                    mu.Await(absl::Condition(&release));
                  })
                  .ok());
  {
    absl::MutexLock l(&mu);
    mu.Await(absl::Condition(&started));
  }
  ASSERT_TRUE(pool.Post([&] { second = 2; }).ok());
  EXPECT_EQ(pool.Post([] {}).code(), absl::StatusCode::kResourceExhausted);
  std::move(let_go).Invoke();
  // Once the queued task has left the queue, there is room again.
  for (int i = 0; i < 10000 && second != 2; ++i) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  ASSERT_EQ(second, 2) << "the queued task ran";
  EXPECT_EQ(*pool.Run<int>([] { return 4; }), 4);
}

}  // namespace
}  // namespace identity
