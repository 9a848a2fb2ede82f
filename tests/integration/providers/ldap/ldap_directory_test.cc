// Search-then-bind against a real slapd.
#include "providers/ldap/ldap_directory.h"

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/integration/providers/ldap/ldap_directory_fixture.h"
#include "tests/support/process.h"

namespace identity::testing {
namespace {

using ldap::Directory;
using ldap::DirectoryOptions;
using ldap::LoginResult;

TEST_F(LdapDirectoryTest, AUserInANestedOuLogsInWithItsAttributes) {
  auto outcome = Dir(Options()).Login("alice", "alice-password");
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  ASSERT_EQ(outcome->result, LoginResult::kAuthenticated);
  EXPECT_EQ(outcome->entry.dn, "uid=alice,ou=eng,ou=people,dc=example,dc=com");
  EXPECT_EQ(outcome->entry.attributes.at("mail").at(0), "alice@example.com");
  EXPECT_EQ(outcome->entry.attributes.at("cn").at(0), "Alice Liddell");
}

TEST_F(LdapDirectoryTest, WrongPasswordUnknownUserAndAmbiguityAreTold) {
  Directory dir = Dir(Options());
  EXPECT_EQ(dir.Login("alice", "wrong")->result, LoginResult::kWrongPassword);
  EXPECT_EQ(dir.Login("nobody", "x")->result, LoginResult::kUserNotFound);
  EXPECT_EQ(dir.Login("twin", "twin-password")->result, LoginResult::kAmbiguous);
}

TEST_F(LdapDirectoryTest, FilterInjectionNeverMatchesAnotherEntry) {
  Directory dir = Dir(Options());
  for (const std::string& name :
       {std::string("*"), std::string("admin)(uid=*"), std::string("\\"),
        std::string("al*"), std::string("alice)(|(uid=*"),
        std::string("a\0lice", 6), std::string("*)(objectClass=*")}) {
    for (const char* password : {"alice-password", "admin-password"}) {
      auto outcome = dir.Login(name, password);
      ASSERT_TRUE(outcome.ok()) << outcome.status();
      EXPECT_NE(outcome->result, LoginResult::kAuthenticated) << name;
      EXPECT_NE(outcome->result, LoginResult::kAmbiguous)
          << name << " was treated as a pattern";
    }
  }
}

TEST_F(LdapDirectoryTest, AnAccountLockedInTheDirectoryIsToldApart) {
  Directory dir = Dir(Options());
  ASSERT_EQ(dir.Login("ivan", "ivan-password")->result,
            LoginResult::kAuthenticated);
  ASSERT_TRUE(slapd_->Modify("dn: uid=ivan,ou=people,dc=example,dc=com\n"
                             "changetype: modify\nadd: pwdAccountLockedTime\n"
                             "pwdAccountLockedTime: 000001010000Z\n"));
  absl::StatusOr<ldap::LoginOutcome> locked = dir.Login("ivan", "ivan-password");
  ASSERT_TRUE(locked.ok());
  EXPECT_EQ(locked->result, LoginResult::kRefused);
  EXPECT_EQ(locked->state, ldap::AccountState::kDisabled);
  ASSERT_TRUE(slapd_->Modify("dn: uid=ivan,ou=people,dc=example,dc=com\n"
                             "changetype: modify\ndelete: pwdAccountLockedTime\n"));
  EXPECT_EQ(dir.Login("ivan", "ivan-password")->result,
            LoginResult::kAuthenticated);
}

TEST_F(LdapDirectoryTest, AnEmptyPasswordIsRefusedBeforeAnyBind) {
  auto outcome = Dir(Options()).Login("alice", "");
  EXPECT_EQ(outcome.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(LdapDirectoryTest, AWrongServiceAccountIsAConfigurationError) {
  DirectoryOptions o = Options();
  o.bind_password = "not-the-reader-secret";
  auto outcome = Dir(o).Login("alice", "alice-password");
  EXPECT_EQ(outcome.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(std::string(outcome.status().message()).find("not-the-reader"),
            std::string::npos) << "secrets stay out of messages";
}

TEST_F(LdapDirectoryTest, UrlsAreTriedInOrderAndAnOutageIsUnavailable) {
  DirectoryOptions o = Options();
  o.urls = {"ldap://127.0.0.1:" + std::to_string(FreePort()), slapd_->url()};
  EXPECT_EQ(Dir(o).Login("alice", "alice-password")->result,
            LoginResult::kAuthenticated) << "the second URL answers";

  ASSERT_TRUE(slapd_->Stop());
  const absl::Time start = absl::Now();
  auto down = Dir(Options()).Login("alice", "alice-password");
  EXPECT_EQ(down.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  ASSERT_TRUE(slapd_->Restart());
  EXPECT_EQ(Dir(Options()).Login("alice", "alice-password")->result,
            LoginResult::kAuthenticated) << "works again after a restart";
}

}  // namespace
}  // namespace identity::testing
