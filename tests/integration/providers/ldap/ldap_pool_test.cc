// The LDAP connection pool and the paged enumeration, against a real slapd.
#include <atomic>
#include <set>
#include <thread>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "providers/ldap/ldap_pool.h"
#include "tests/integration/providers/ldap/ldap_directory_fixture.h"

namespace identity::testing {
namespace {

using ldap::ConnectionPool;
using ldap::Directory;
using ldap::LoginResult;

TEST_F(LdapDirectoryTest, LoginsReuseTwoPooledConnectionsWithoutRebinding) {
  auto pool = std::make_shared<ConnectionPool>(Options());
  Directory dir(pool);
  for (int i = 0; i < 10; ++i) {
    // A wrong password after a right one, as alice and as carol: the
    // searches stay on the service account's connection, the binds go to
    // the other one.
    const bool right = i % 2 == 0;
    const std::string user = i % 4 < 2 ? "alice" : "carol";
    auto outcome = dir.Login(user, right ? user + "-password" : "wrong");
    ASSERT_TRUE(outcome.ok()) << outcome.status();
    EXPECT_EQ(outcome->result, right ? LoginResult::kAuthenticated
                                     : LoginResult::kWrongPassword);
    if (right) {
      EXPECT_FALSE(outcome->entry.dn.empty());
    }
  }
  EXPECT_EQ(dir.Find("carol")->result, LoginResult::kAuthenticated);
  ldap::PoolFigures f = pool->Figures();
  EXPECT_EQ(f.connects, 2) << "two TCP+TLS connections for 21 operations";
  EXPECT_EQ(f.acquired, 21) << "a search and a bind per login, one search";
  EXPECT_EQ(f.rebinds, 0) << "no connection bound as a user was searched on";
  EXPECT_EQ(f.open, 2);
  EXPECT_EQ(f.in_use, 0);
  EXPECT_TRUE(f.reachable);
}

TEST_F(LdapDirectoryTest, APoolOfOneRebindsBeforeSearchingAgain) {
  ldap::DirectoryOptions o = Options();
  o.pool_size = 1;
  auto pool = std::make_shared<ConnectionPool>(o);
  Directory dir(pool);
  ASSERT_EQ(dir.Login("alice", "alice-password")->result,
            LoginResult::kAuthenticated);
  // A refused bind leaves the only connection anonymous, and the test
  // directory shows anonymous clients nothing: carol is found only if the
  // search runs as the service account again.
  ASSERT_EQ(dir.Login("alice", "wrong")->result, LoginResult::kWrongPassword);
  EXPECT_EQ(dir.Find("carol")->result, LoginResult::kAuthenticated);
  ldap::PoolFigures f = pool->Figures();
  EXPECT_EQ(f.connects, 1);
  EXPECT_EQ(f.rebinds, 2) << "before the second login's search and the Find";
}

TEST_F(LdapDirectoryTest, ThePoolNeverOpensMoreThanItsSize) {
  ldap::DirectoryOptions o = Options();
  o.pool_size = 2;
  auto pool = std::make_shared<ConnectionPool>(o);
  Directory dir(pool);
  std::atomic<int> authenticated{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        auto outcome = dir.Login("carol", "carol-password");
        if (outcome.ok() && outcome->result == LoginResult::kAuthenticated) {
          ++authenticated;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(authenticated.load(), 30);
  ldap::PoolFigures f = pool->Figures();
  EXPECT_LE(f.connects, 2);
  EXPECT_LE(f.open, 2);
  EXPECT_EQ(f.acquired, 60) << "a search and a bind per login";
}

TEST_F(LdapDirectoryTest, AFullPoolAnswersUnavailableAfterTheTimeout) {
  ldap::DirectoryOptions o = Options();
  o.pool_size = 1;
  o.operation_timeout = absl::Milliseconds(300);
  auto pool = std::make_shared<ConnectionPool>(o);
  auto held = pool->Acquire();
  ASSERT_TRUE(held.ok()) << held.status();
  const absl::Time start = absl::Now();
  auto outcome = Directory(pool).Login("alice", "alice-password");
  EXPECT_EQ(outcome.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(250));
  EXPECT_LT(absl::Now() - start, absl::Seconds(3));
  ldap::PoolFigures f = pool->Figures();
  EXPECT_EQ(f.timed_out, 1);
  EXPECT_TRUE(f.reachable) << "a busy pool is not an unreachable directory";
}

TEST_F(LdapDirectoryTest, PooledConnectionsSurviveADirectoryRestart) {
  auto pool = std::make_shared<ConnectionPool>(Options());
  Directory dir(pool);
  ASSERT_EQ(dir.Login("alice", "alice-password")->result,
            LoginResult::kAuthenticated);
  ASSERT_TRUE(slapd_->Stop());
  EXPECT_EQ(dir.Login("alice", "alice-password").status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_FALSE(pool->Figures().reachable);
  ASSERT_TRUE(slapd_->Restart());
  auto again = dir.Login("alice", "alice-password");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->result, LoginResult::kAuthenticated);
  ldap::PoolFigures f = pool->Figures();
  EXPECT_TRUE(f.reachable);
  EXPECT_GE(f.discarded, 1) << "the stale connection was closed";
}

TEST_F(LdapDirectoryTest, EveryUserIsEnumeratedPastTheServerSizeLimit) {
  // The test slapd returns at most 5 entries to a plain search.
  std::set<std::string> dns;
  std::vector<std::string> alice_groups;
  ldap::DirectoryOptions o = Options();
  o.group_base_dn = "ou=groups,dc=example,dc=com";
  o.group_member_attribute = "member";
  absl::Status s = Dir(o).ForEachUser(
      3, [&](const ldap::Entry& e, const std::vector<std::string>& groups) {
        EXPECT_TRUE(dns.insert(e.dn).second) << e.dn << " seen twice";
        if (e.dn.rfind("uid=alice,", 0) == 0) alice_groups = groups;
        return absl::OkStatus();
      });
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_GT(dns.size(), 5u);
  EXPECT_EQ(dns.count("uid=alice,ou=eng,ou=people,dc=example,dc=com"), 1u);
  EXPECT_EQ(dns.count("uid=twin,ou=eng,ou=people,dc=example,dc=com"), 1u);
  EXPECT_FALSE(alice_groups.empty()) << "groups come with each entry";
}

TEST_F(LdapDirectoryTest, AVisitorErrorStopsTheEnumeration) {
  int visits = 0;
  absl::Status s = Dir(Options()).ForEachUser(
      2, [&](const ldap::Entry&, const std::vector<std::string>&) {
        ++visits;
        return absl::UnavailableError("database down");
      });
  EXPECT_EQ(s.message(), "database down");
  EXPECT_EQ(visits, 1);
}

}  // namespace
}  // namespace identity::testing
