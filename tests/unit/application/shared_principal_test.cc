// Validations answered from the credential cache share one principal per
// cached row; what depends on the call (the time, the client's address)
// is still judged on every call, and a change drops the principal with its
// row. The store is never reached here: every row is put in the cache by
// hand, and an answer that would need the database is "nullopt".
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "application/api_keys/api_keys.h"
#include "application/sessions/credential_cache.h"
#include "application/sessions/session_manager.h"
#include "common/crypto.h"
#include "domain/credential_format.h"
#include "gtest/gtest.h"

namespace identity {
namespace {

using storage::Change;

domain::User Owner() {
  domain::User u;
  u.id = "u1";
  u.organization_id = "o1";
  u.username = "caller@example.com";
  u.primary_role = "BASIC_USER";
  u.password_changed_at = absl::Now();
  return u;
}

domain::SessionWithUser SessionRow() {
  domain::SessionWithUser s;
  s.session.id = "s1";
  s.session.user_id = "u1";
  s.session.expires_at = absl::Now() + absl::Hours(1);
  s.session.last_seen_at = absl::Now();  // no activity write due
  s.user = Owner();
  return s;
}

domain::ApiKeyWithOwner KeyRow() {
  domain::ApiKeyWithOwner k;
  k.key.id = "k1";
  k.key.user_id = "u1";
  k.key.organization_id = "o1";
  k.key.last_used_at = absl::Now();  // no last-use write due
  k.owner = Owner();
  k.trusted_ip_ranges = {"10.0.0.0/8"};
  return k;
}

class SharedPrincipalTest : public ::testing::Test {
 protected:
  SharedPrincipalTest()
      : token_(absl::StrCat(kTokenPrefix,
                            crypto::Base64UrlEncode(crypto::RandomBytes(32)))),
        api_key_(
            absl::StrCat(kKeyPrefix, "abcdefgh_",
                         crypto::Base64UrlEncode(crypto::RandomBytes(32)))),
        cache_({absl::Seconds(60), 1000}),
        sessions_(SessionOptions{}, {nullptr, nullptr, nullptr, nullptr,
                                     nullptr, nullptr, &cache_}),
        keys_(nullptr, nullptr, &cache_) {
    cache_.OnFeedState(true);
  }

  // Puts `row` in the cache as the row of the test's session token.
  void HoldSession(const domain::SessionWithUser& row) {
    bool cached = false;
    ASSERT_TRUE(
        cache_
            .Session(
                cache_.KeyOf(token_), /*fresh=*/true,
                [&] { return absl::StatusOr<domain::SessionWithUser>(row); },
                &cached)
            .ok());
  }
  void HoldKey(const domain::ApiKeyWithOwner& row) {
    bool cached = false;
    ASSERT_TRUE(
        cache_
            .ApiKey(
                cache_.KeyOf(api_key_), /*fresh=*/true,
                [&] { return absl::StatusOr<domain::ApiKeyWithOwner>(row); },
                &cached)
            .ok());
  }
  // The principal answered from memory, or null when memory does not
  // answer (the database would be asked) or refuses.
  SharedPrincipal FromMemory() {
    auto answer = sessions_.ValidateFromMemory(token_);
    if (!answer || !answer->ok()) return nullptr;
    return **answer;
  }
  SharedPrincipal KeyFromMemory(absl::string_view client_ip) {
    auto answer = keys_.ValidateFromMemory(api_key_, client_ip);
    if (!answer || !answer->ok()) return nullptr;
    return **answer;
  }

  const std::string token_;
  const std::string api_key_;
  CredentialCache cache_;
  SessionManager sessions_;
  ApiKeyManager keys_;
};

TEST_F(SharedPrincipalTest, RepeatedValidationsShareOnePrincipal) {
  HoldSession(SessionRow());
  SharedPrincipal first = FromMemory();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->user.id, "u1");
  EXPECT_EQ(first->session_id, "s1");
  EXPECT_TRUE(first->Has("apps.create"));
  EXPECT_EQ(FromMemory(), first) << "built once per cached row";
}

TEST_F(SharedPrincipalTest, AChangeToTheUserDropsThePrincipalWithItsRow) {
  HoldSession(SessionRow());
  SharedPrincipal before = FromMemory();
  ASSERT_NE(before, nullptr);
  cache_.OnChanges({{Change::Kind::kUser, "u1"}});
  EXPECT_EQ(FromMemory(), nullptr) << "the next answer reads the database";

  // The reloaded row (say, the user was made an admin) gets its own.
  domain::SessionWithUser promoted = SessionRow();
  promoted.user.primary_role = "ADMIN";
  HoldSession(promoted);
  SharedPrincipal after = FromMemory();
  ASSERT_NE(after, nullptr);
  EXPECT_NE(after, before);
  EXPECT_EQ(after->roles.front(), "ADMIN");
  EXPECT_TRUE(after->Has("users.read"));
}

TEST_F(SharedPrincipalTest,
       AnExpiredSessionIsRefusedAfterItsPrincipalWasShared) {
  domain::SessionWithUser row = SessionRow();
  row.session.expires_at = absl::Now() + absl::Milliseconds(50);
  HoldSession(row);
  ASSERT_NE(FromMemory(), nullptr);
  absl::SleepFor(absl::Milliseconds(60));
  EXPECT_FALSE(sessions_.ValidateFromMemory(token_).has_value())
      << "an expired session is not answered from memory";
}

TEST_F(SharedPrincipalTest, APendingStepThatComesDueIsAddedOnTheNextCall) {
  domain::SessionWithUser row = SessionRow();
  row.password_max_age_days = 1;
  row.user.password_changed_at =
      absl::Now() - absl::Hours(24) + absl::Milliseconds(50);
  HoldSession(row);
  SharedPrincipal fresh = FromMemory();
  ASSERT_NE(fresh, nullptr);
  EXPECT_TRUE(fresh->required_actions.empty());
  absl::SleepFor(absl::Milliseconds(60));
  SharedPrincipal aged = FromMemory();
  ASSERT_NE(aged, nullptr);
  EXPECT_EQ(aged->required_actions, std::vector<std::string>{kChangePassword});
}

TEST_F(SharedPrincipalTest, AKeyFromOutsideTheTrustedRangesIsRefusedEveryCall) {
  HoldKey(KeyRow());
  SharedPrincipal inside = KeyFromMemory("10.1.2.3");
  ASSERT_NE(inside, nullptr);
  EXPECT_EQ(inside->api_key_id, "k1");
  EXPECT_EQ(KeyFromMemory("10.9.9.9"), inside) << "shared across callers";
  EXPECT_FALSE(keys_.ValidateFromMemory(api_key_, "192.0.2.1").has_value());
  EXPECT_FALSE(keys_.ValidateFromMemory(api_key_, "").has_value());
}

TEST_F(SharedPrincipalTest, ARevokedKeyIsNotAnsweredWithItsSharedPrincipal) {
  HoldKey(KeyRow());
  ASSERT_NE(KeyFromMemory("10.1.2.3"), nullptr);
  cache_.OnChanges({{Change::Kind::kApiKey, "k1"}});
  EXPECT_FALSE(keys_.ValidateFromMemory(api_key_, "10.1.2.3").has_value());
  domain::ApiKeyWithOwner revoked = KeyRow();
  revoked.key.revoked = true;
  HoldKey(revoked);
  EXPECT_FALSE(keys_.ValidateFromMemory(api_key_, "10.1.2.3").has_value());
}

TEST_F(SharedPrincipalTest, APrincipalIsKeptOnlyNextToTheRowItCameFrom) {
  HoldSession(SessionRow());
  const std::string key = cache_.KeyOf(token_);
  CredentialCache::Held<domain::SessionWithUser> held = cache_.PeekSession(key);
  ASSERT_NE(held.row, nullptr);
  ASSERT_NE(FromMemory(), nullptr);
  ASSERT_NE(cache_.PeekSession(key).principal, nullptr);

  // A newer activity time replaces the row: the principal goes with it.
  cache_.SessionTouched(key, absl::Now());
  EXPECT_EQ(cache_.PeekSession(key).principal, nullptr);
  // A principal built from the replaced row is not kept next to the new.
  cache_.KeepPrincipal(key, held.row, std::make_shared<const Principal>());
  EXPECT_EQ(cache_.PeekSession(key).principal, nullptr);
}

}  // namespace
}  // namespace identity
