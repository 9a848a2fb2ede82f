// A known directory user is found again by the stable identifier stored at
// its provisioning (entryUUID here), never by the name a caller types; only
// the directory's answer about that entry changes the local user, and what
// an administrator decided the directory never undoes.
#include "tests/e2e/providers/ldap/ldap_fixture.h"

namespace identity::testing {
namespace {

class LdapIdentityE2eTest : public LdapE2eTest {
 protected:
  // A directory OU of its own for a test, with `uid` in it; an organization
  // whose provider lists only that OU, logs in by uid and stores the mail.
  static v1::Organization OrgWithPerson(const std::string& uid) {
    const std::string ou = "ou=" + uid + ",ou=people,dc=example,dc=com";
    EXPECT_TRUE(slapd_->Modify("dn: " + ou +
                               "\nchangetype: add\nobjectClass: "
                               "organizationalUnit\nou: " +
                               uid + "\n"));
    EXPECT_TRUE(AddPerson(uid, ou));
    v1::Organization org = CreateOrg();
    v1::ConfigureLdapProviderRequest req =
        ProviderConfig(org.id(), "(uid={username})");
    req.mutable_ldap()->set_user_base_dn(ou);
    req.mutable_ldap()->set_username_attribute("mail");
    v1::IdentityProvider out;
    EXPECT_TRUE(
        orgs_->ConfigureLdapProvider(Ctx(AdminToken()).get(), req, &out).ok());
    return org;
  }
  static bool AddPerson(const std::string& uid, const std::string& ou) {
    return slapd_->Modify(
        "dn: uid=" + uid + "," + ou +
        "\nchangetype: add\nobjectClass: inetOrgPerson\nuid: " + uid +
        "\ncn: " + uid + "\nsn: " + uid + "\nmail: " + uid +
        "@example.com\nuserPassword: " + uid + "-password\n");
  }
  static std::string Dn(const std::string& uid) {
    return "uid=" + uid + ",ou=" + uid + ",ou=people,dc=example,dc=com";
  }
  static std::string Column(const std::string& id, const std::string& column) {
    return Sql("SELECT coalesce(" + column +
               "::text, '') FROM users WHERE id = '" + id + "'");
  }
  static grpc::Status Sync(const std::string& org) {
    v1::SyncLdapUsersRequest req;
    req.set_organization_id(org);
    v1::SyncLdapUsersResponse out;
    return orgs_->SyncLdapUsers(Ctx(AdminToken()).get(), req, &out);
  }
  static grpc::Status SetEnabled(const std::string& id, bool enabled) {
    v1::User out;
    if (enabled) {
      v1::EnableUserRequest req;
      req.set_id(id);
      return users_->EnableUser(Ctx(AdminToken()).get(), req, &out);
    }
    v1::DisableUserRequest req;
    req.set_id(id);
    return users_->DisableUser(Ctx(AdminToken()).get(), req, &out);
  }
  static bool SessionWorks(const std::string& token) {
    v1::User me;
    return users_->GetCurrentUser(Ctx(token).get(), {}, &me).ok();
  }
};

// Logins use uid, the local user is stored under its mail: typing the
// stored name (or it with a NUL after it) finds nobody by that text in the
// directory, which used to disable the user for anyone who tried.
TEST_F(LdapIdentityE2eTest,
       TypingTheStoredMailWhereLoginsUseUidDisablesNobody) {
  v1::Organization org = OrgWithPerson("mira");
  v1::AuthenticateResponse first;
  ASSERT_TRUE(LdapLogin("mira", "mira-password", org.id(), &first).ok());
  const std::string id = first.user().id();
  ASSERT_EQ(first.user().username(), "mira@example.com");
  EXPECT_EQ(Column(id, "directory_dn"), Dn("mira"));
  EXPECT_EQ(Column(id, "external_id").size(), 36u) << "entryUUID stored";

  for (const std::string& typed :
       {std::string("mira@example.com"), std::string("mira@example.com\0", 17),
        std::string("MIRA@example.com")}) {
    EXPECT_FALSE(LdapLogin(typed, "a-guess").ok());
  }
  EXPECT_EQ(Column(id, "enabled"), "true");
  EXPECT_TRUE(SessionWorks(first.session_token())) << "nothing ended it";
  EXPECT_EQ(Sql("SELECT count(*) FROM audit_events WHERE action = "
                "'user.disable' AND target_id = '" +
                id + "'"),
            "0");
  // The stored name reaches the same entry through its entryUUID.
  EXPECT_TRUE(LdapLogin("mira@example.com", "mira-password").ok());
}

// Users provisioned before the link was stored: an unauthenticated miss
// changes nothing; the next successful login stores the link.
TEST_F(LdapIdentityE2eTest, UsersWithoutAStoredLinkGetItAtTheirNextLogin) {
  v1::Organization org = OrgWithPerson("nils");
  v1::AuthenticateResponse first;
  ASSERT_TRUE(LdapLogin("nils", "nils-password", org.id(), &first).ok());
  const std::string id = first.user().id();
  Sql("UPDATE users SET external_id = NULL, directory_dn = NULL WHERE id = '" +
      id + "' RETURNING 1");
  EXPECT_FALSE(LdapLogin("nils@example.com", "nils-password").ok())
      << "no entry has uid nils@example.com";
  EXPECT_FALSE(LdapLogin(std::string("nils@example.com\0", 17), "x").ok());
  EXPECT_EQ(Column(id, "enabled"), "true");
  EXPECT_TRUE(SessionWorks(first.session_token()));

  v1::AuthenticateResponse again;
  ASSERT_TRUE(LdapLogin("nils", "nils-password", org.id(), &again).ok());
  EXPECT_EQ(again.user().id(), id) << "the same local user";
  EXPECT_EQ(Column(id, "directory_dn"), Dn("nils"));
  EXPECT_EQ(Column(id, "external_id").size(), 36u);
}

// Disabled in the directory, then enabled there again: the local user
// follows, both at login and in sync.
TEST_F(LdapIdentityE2eTest, WhatTheDirectoryDisabledItEnablesAgain) {
  v1::Organization org = OrgWithPerson("olga");
  v1::AuthenticateResponse first;
  ASSERT_TRUE(LdapLogin("olga", "olga-password", org.id(), &first).ok());
  const std::string id = first.user().id();
  const std::string lock = "dn: " + Dn("olga") +
                           "\nchangetype: modify\nadd: pwdAccountLockedTime\n"
                           "pwdAccountLockedTime: 000001010000Z\n";
  const std::string unlock = "dn: " + Dn("olga") +
                             "\nchangetype: modify\ndelete: "
                             "pwdAccountLockedTime\n";
  ASSERT_TRUE(slapd_->Modify(lock));
  EXPECT_FALSE(LdapLogin("olga", "olga-password", org.id()).ok());
  EXPECT_EQ(Column(id, "enabled"), "false");
  EXPECT_EQ(Column(id, "disabled_by"), "provider");
  EXPECT_FALSE(SessionWorks(first.session_token()));

  ASSERT_TRUE(slapd_->Modify(unlock));
  v1::AuthenticateResponse back;
  ASSERT_TRUE(LdapLogin("olga", "olga-password", org.id(), &back).ok())
      << "enabled again by the directory's successful login";
  EXPECT_EQ(back.user().id(), id);
  EXPECT_EQ(Column(id, "enabled"), "true");
  EXPECT_EQ(Column(id, "disabled_by"), "");

  // Gone from the directory's view, then back: the sync follows too.
  ASSERT_TRUE(slapd_->Modify(lock));
  ASSERT_TRUE(LdapLogin("olga", "olga-password", org.id()).error_code() ==
              grpc::StatusCode::UNAUTHENTICATED);
  ASSERT_EQ(Column(id, "enabled"), "false");
  ASSERT_TRUE(slapd_->Modify(unlock));
  ASSERT_TRUE(Sync(org.id()).ok());
  EXPECT_EQ(Column(id, "enabled"), "true") << "re-enabled by the sync";
  EXPECT_EQ(SetEnabled(id, true).error_code(), grpc::StatusCode::OK)
      << "enabling an enabled user is a no-op";
}

// An administrator's disable is the administrator's: no login or sync
// lifts it, even when the directory had disabled the user first.
TEST_F(LdapIdentityE2eTest,
       AnAdministratorsDisableIsNeverUndoneByTheDirectory) {
  v1::Organization org = OrgWithPerson("piet");
  v1::AuthenticateResponse first;
  ASSERT_TRUE(LdapLogin("piet", "piet-password", org.id(), &first).ok());
  const std::string id = first.user().id();
  ASSERT_TRUE(SetEnabled(id, false).ok());
  EXPECT_EQ(Column(id, "disabled_by"), "admin");
  EXPECT_FALSE(LdapLogin("piet", "piet-password", org.id()).ok());
  ASSERT_TRUE(Sync(org.id()).ok());
  EXPECT_EQ(Column(id, "enabled"), "false") << "the sync keeps it disabled";

  // Provider-disabled first, then disabled by an administrator: the
  // directory's re-enable no longer lifts it.
  ASSERT_TRUE(SetEnabled(id, true).ok());
  ASSERT_TRUE(slapd_->Modify("dn: " + Dn("piet") +
                             "\nchangetype: modify\nadd: pwdAccountLockedTime\n"
                             "pwdAccountLockedTime: 000001010000Z\n"));
  EXPECT_FALSE(LdapLogin("piet", "piet-password", org.id()).ok());
  ASSERT_EQ(Column(id, "disabled_by"), "provider");
  EXPECT_EQ(SetEnabled(id, true).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION)
      << "what the directory disabled, only the directory enables";
  ASSERT_TRUE(SetEnabled(id, false).ok());
  EXPECT_EQ(Column(id, "disabled_by"), "admin");
  ASSERT_TRUE(slapd_->Modify("dn: " + Dn("piet") +
                             "\nchangetype: modify\ndelete: "
                             "pwdAccountLockedTime\n"));
  EXPECT_FALSE(LdapLogin("piet", "piet-password", org.id()).ok());
  ASSERT_TRUE(Sync(org.id()).ok());
  EXPECT_EQ(Column(id, "enabled"), "false");
  EXPECT_EQ(Column(id, "disabled_by"), "admin");
}

// Another id_attribute: the stored ids no longer fit; the users are found
// by their DN meanwhile and linked by the new attribute at their next login.
TEST_F(LdapIdentityE2eTest, ChangingTheIdAttributeKeepsTheUsers) {
  v1::Organization org = OrgWithPerson("quinn");
  v1::AuthenticateResponse first;
  ASSERT_TRUE(LdapLogin("quinn", "quinn-password", org.id(), &first).ok());
  const std::string id = first.user().id();
  v1::ConfigureLdapProviderRequest req =
      ProviderConfig(org.id(), "(uid={username})");
  req.mutable_ldap()->set_user_base_dn("ou=quinn,ou=people,dc=example,dc=com");
  req.mutable_ldap()->set_username_attribute("mail");
  req.mutable_ldap()->set_id_attribute("uid");
  v1::IdentityProvider out;
  ASSERT_TRUE(
      orgs_->ConfigureLdapProvider(Ctx(AdminToken()).get(), req, &out).ok());
  EXPECT_EQ(out.ldap().id_attribute(), "uid");
  EXPECT_EQ(Column(id, "external_id"), "");
  EXPECT_FALSE(LdapLogin("quinn@example.com", "a-guess").ok());
  EXPECT_EQ(Column(id, "enabled"), "true");
  v1::AuthenticateResponse again;
  ASSERT_TRUE(
      LdapLogin("quinn@example.com", "quinn-password", "", &again).ok());
  EXPECT_EQ(again.user().id(), id);
  EXPECT_EQ(Column(id, "external_id"), "quinn");
}

}  // namespace
}  // namespace identity::testing
