// Logins against a real Active Directory domain controller: sAMAccountName
// at login with userPrincipalName stored, objectGUID as the stable
// identity, nested groups and the primary group, account states, and TLS.
#include "tests/e2e/providers/ldap/ad_fixture.h"

namespace identity::testing {
namespace {

class AdLoginE2eTest : public AdE2eTest {};

TEST_F(AdLoginE2eTest, LoginBySamAccountNameStoresTheUserPrincipalName) {
  v1::Organization org = AdOrg();
  v1::AuthenticateResponse login;
  grpc::Status s = AdLogin("alice", AdPassword("alice"), org.name(), &login);
  ASSERT_TRUE(s.ok()) << s.error_message() << " " << LastFailure("alice");
  const v1::User& u = login.user();
  EXPECT_EQ(u.username(), "alice@corp.example");
  EXPECT_EQ(u.email(), "alice@corp.example");
  EXPECT_EQ(u.display_name(), "Alice Adams");
  // Engineers -> Staff -> Admins (nested), Engineers -> Builders (a second
  // parent), Domain Users (the primary group, not in any member list).
  EXPECT_EQ(u.primary_role(), "ADMIN");
  std::vector<std::string> roles(u.roles().begin(), u.roles().end());
  EXPECT_EQ(roles, (std::vector<std::string>{"ADMIN", "CONTROL_CENTER",
                                             "PORTAL_ACCESS"}));
  const std::string guid = Column(u.id(), "external_id");
  EXPECT_EQ(guid.size(), 36u) << "objectGUID in its registry form: " << guid;
  EXPECT_EQ(Column(u.id(), "directory_dn"),
            std::string("CN=alice,") + kAdPeople);

  v1::TestIdentityProviderRequest test;
  test.set_organization_id(org.id());
  test.set_username("alice");
  test.set_password(AdPassword("alice"));
  v1::TestIdentityProviderResponse steps;
  ASSERT_TRUE(
      orgs_->TestIdentityProvider(Ctx(AdminToken()).get(), test, &steps).ok());
  ASSERT_GE(steps.steps_size(), 2);
  EXPECT_EQ(steps.steps(1).name(), "detect_server");
  EXPECT_EQ(steps.steps(1).message(),
            "active_directory; stable id attribute objectGUID");
  EXPECT_TRUE(steps.steps(steps.steps_size() - 1).ok());
}

// Logins use sAMAccountName; typing the stored userPrincipalName (or it
// with a NUL) must not reach the directory as a search that finds nobody
// and so disables the user.
TEST_F(AdLoginE2eTest, TypingTheStoredUserPrincipalNameDisablesNobody) {
  v1::Organization org = AdOrg();
  v1::AuthenticateResponse login;
  ASSERT_TRUE(AdLogin("mallory", AdPassword("mallory"), org.id(), &login).ok());
  const std::string id = login.user().id();
  for (const std::string& typed : {std::string("mallory@corp.example"),
                                   std::string("mallory@corp.example\0", 21)}) {
    EXPECT_FALSE(AdLogin(typed, "a-guess").ok());
  }
  EXPECT_EQ(Column(id, "enabled"), "true");
  v1::User me;
  EXPECT_TRUE(
      users_->GetCurrentUser(Ctx(login.session_token()).get(), {}, &me).ok());
}

// A rename in the directory (userPrincipalName, mail, display name) keeps
// one local user under its first username; its profile follows and the
// audit log records the directory's new name.
TEST_F(AdLoginE2eTest, AUserPrincipalNameRenameKeepsOneLocalUser) {
  v1::Organization org = AdOrg();
  v1::AuthenticateResponse first;
  ASSERT_TRUE(AdLogin("bob", AdPassword("bob"), org.id(), &first).ok());
  ASSERT_TRUE(
      Ad()->Modify(std::string("dn: CN=bob,") + kAdPeople +
                   "\nchangetype: modify\nreplace: userPrincipalName\n"
                   "userPrincipalName: robert@corp.example\n-\n"
                   "replace: mail\nmail: robert@corp.example\n-\n"
                   "replace: displayName\ndisplayName: Robert Brown\n"));
  v1::AuthenticateResponse again;
  ASSERT_TRUE(AdLogin("bob", AdPassword("bob"), org.id(), &again).ok());
  EXPECT_EQ(again.user().id(), first.user().id()) << "the same local user";
  EXPECT_EQ(again.user().username(), "bob@corp.example")
      << "usernames never change";
  EXPECT_EQ(again.user().email(), "robert@corp.example");
  EXPECT_EQ(again.user().display_name(), "Robert Brown");
  EXPECT_EQ(Sql("SELECT count(*) FROM users WHERE organization_id = '" +
                org.id() + "'"),
            "1");
  EXPECT_EQ(Sql("SELECT details->>'directory_username' FROM audit_events WHERE "
                "action = 'user.refresh' AND target_id = '" +
                first.user().id() + "' ORDER BY id DESC LIMIT 1"),
            "robert@corp.example");
}

// Disabled (ACCOUNTDISABLE, data 533) and expired (accountExpires, data
// 701) accounts are the directory's lasting word: refused and disabled
// here. A lockout (data 775) ends by itself: refused, nothing disabled.
TEST_F(AdLoginE2eTest, DisabledExpiredAndLockedAccountsAreToldApart) {
  v1::Organization org = AdOrg();
  std::map<std::string, std::string> ids;
  for (const std::string name : {"carl", "erin", "liam"}) {
    v1::AuthenticateResponse login;
    ASSERT_TRUE(AdLogin(name, AdPassword(name), org.id(), &login).ok()) << name;
    ids[name] = login.user().id();
  }
  ASSERT_TRUE(Ad()->Tool({"user", "disable", "carl"}));
  ASSERT_TRUE(Ad()->Modify(std::string("dn: CN=erin,") + kAdPeople +
                           "\nchangetype: modify\nreplace: accountExpires\n"
                           "accountExpires: 131000000000000000\n"));
  for (int i = 0; i < SambaAdServer::kLockoutThreshold; ++i) {
    EXPECT_FALSE(AdLogin("liam", "wrong-password", org.id()).ok());
  }
  const std::map<std::string, std::pair<std::string, std::string>> expected = {
      {"carl", {"disabled_in_directory", "false"}},
      {"erin", {"expired_in_directory", "false"}},
      {"liam", {"locked_in_directory", "true"}},
  };
  for (const auto& [name, want] : expected) {
    grpc::Status s = AdLogin(name, AdPassword(name), org.id());
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << name;
    EXPECT_EQ(s.error_message(), "invalid username or password") << name;
    EXPECT_EQ(LastFailure(name), want.first) << name;
    EXPECT_EQ(Column(ids[name], "enabled"), want.second) << name;
  }
  EXPECT_EQ(Column(ids["carl"], "disabled_by"), "provider");

  ASSERT_TRUE(Ad()->Tool({"user", "enable", "carl"}));
  EXPECT_TRUE(AdLogin("carl", AdPassword("carl"), org.id()).ok())
      << "enabled again in the directory: enabled here at its next login";
}

TEST_F(AdLoginE2eTest,
       StartTlsAndLdapsVerifyTheCertificateAgainstTheConfiguredCa) {
  v1::Organization org = CreateOrg();
  auto test = [&]() {
    v1::TestIdentityProviderRequest req;
    req.set_organization_id(org.id());
    req.set_username("tina");
    req.set_password(AdPassword("tina"));
    v1::TestIdentityProviderResponse steps;
    EXPECT_TRUE(
        orgs_->TestIdentityProvider(Ctx(AdminToken()).get(), req, &steps).ok());
    return steps;
  };
  v1::IdentityProvider out;
  for (bool start_tls : {false, true}) {
    v1::ConfigureLdapProviderRequest req = AdConfig(org.id(), kAdPeople);
    req.mutable_ldap()->clear_urls();
    req.mutable_ldap()->add_urls(start_tls ? Ad()->ldap_url()
                                           : Ad()->ldaps_url());
    req.mutable_ldap()->set_start_tls(start_tls);
    ASSERT_TRUE(
        orgs_->ConfigureLdapProvider(Ctx(AdminToken()).get(), req, &out).ok());
    v1::TestIdentityProviderResponse steps = test();
    ASSERT_EQ(steps.steps_size(), 4) << (start_tls ? "StartTLS" : "LDAPS");
    for (const v1::TestStep& step : steps.steps()) {
      EXPECT_TRUE(step.ok()) << step.name() << ": " << step.message();
    }
    EXPECT_TRUE(AdLogin("tina", AdPassword("tina"), org.id()).ok());

    req.mutable_ldap()->clear_ca_certificate_pem();
    ASSERT_TRUE(
        orgs_->ConfigureLdapProvider(Ctx(AdminToken()).get(), req, &out).ok());
    steps = test();
    EXPECT_FALSE(steps.steps(0).ok()) << "the system store does not trust it";
  }
  // A plain simple bind, which AD refuses without TLS: a configuration error
  // that says so.
  v1::ConfigureLdapProviderRequest plain = AdConfig(org.id(), kAdPeople);
  plain.mutable_ldap()->clear_urls();
  plain.mutable_ldap()->add_urls(Ad()->ldap_url());
  ASSERT_TRUE(
      orgs_->ConfigureLdapProvider(Ctx(AdminToken()).get(), plain, &out).ok());
  v1::TestIdentityProviderResponse steps = test();
  EXPECT_FALSE(steps.steps(0).ok());
  EXPECT_NE(steps.steps(0).message().find("refuses simple binds without TLS"),
            std::string::npos)
      << steps.steps(0).message();
}

}  // namespace
}  // namespace identity::testing
