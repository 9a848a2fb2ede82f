// SyncLdapUsers against a real slapd whose plain searches return at most 5
// entries (so only a paged search sees everyone).
#include <pqxx/connection>
#include <pqxx/nontransaction>

#include "tests/e2e/providers/ldap/ldap_fixture.h"

namespace identity::testing {
namespace {

class LdapSyncE2eTest : public LdapE2eTest {
 protected:
  static grpc::Status Sync(const std::string& org, bool dry_run,
                           v1::SyncLdapUsersResponse* out) {
    v1::SyncLdapUsersRequest req;
    req.set_organization_id(org);
    req.set_dry_run(dry_run);
    return orgs_->SyncLdapUsers(Ctx(AdminToken()).get(), req, out);
  }
  static std::string Change(const v1::SyncLdapUsersResponse& r,
                            const std::string& username) {
    for (const v1::LdapSyncChange& c : r.changes()) {
      if (c.username() == username) return c.action() + ": " + c.reason();
    }
    return "";
  }
  static std::string CountUsers(const std::string& org, const std::string& where) {
    return Sql("SELECT count(*) FROM users WHERE organization_id = '" + org +
               "' AND origin = 'LDAP'" + where);
  }
};

// Usernames are unique across organizations, so one test walks the whole
// life of the directory's users; the others create none.
TEST_F(LdapSyncE2eTest, SyncCreatesRefreshesAndDisablesWhatTheDirectorySays) {
  v1::Organization org = LdapOrg();
  v1::SyncLdapUsersResponse r;
  ASSERT_TRUE(Sync(org.id(), /*dry_run=*/true, &r).ok());
  EXPECT_TRUE(r.dry_run());
  EXPECT_EQ(r.created(), 9);
  EXPECT_EQ(CountUsers(org.id(), ""), "0") << "a dry run changes nothing";

  ASSERT_TRUE(Sync(org.id(), false, &r).ok());
  // alice (nested OU), admin, carol, dave, eve, frank, grace, heidi, ivan; the two
  // "twin" entries are ambiguous, as they are at login.
  EXPECT_EQ(r.created(), 9);
  EXPECT_EQ(r.skipped(), 2);
  EXPECT_EQ(Change(r, "twin"), "skipped: 2 entries have this username");
  EXPECT_EQ(Change(r, "grace"), "created: primary role ADMIN");
  EXPECT_EQ(CountUsers(org.id(), ""), "9");
  EXPECT_EQ(Sql("SELECT primary_role || ' ' || email FROM users WHERE "
                "username = 'grace'"),
            "ADMIN grace@example.com");
  EXPECT_EQ(Sql("SELECT count(*) FROM audit_events WHERE action = "
                "'user.provision' AND organization_id = '" + org.id() +
                "' AND details->>'source' = 'sync'"),
            "9") << "each change has its audit event";

  ASSERT_TRUE(Sync(org.id(), false, &r).ok());
  EXPECT_EQ(r.unchanged(), 9);
  EXPECT_EQ(r.created() + r.updated() + r.disabled(), 0);

  ASSERT_TRUE(slapd_->Modify(
      "dn: cn=admins,ou=groups,dc=example,dc=com\nchangetype: modify\n"
      "delete: member\nmember: uid=grace,ou=people,dc=example,dc=com\n"));
  ASSERT_TRUE(slapd_->Modify(
      "dn: uid=carol,ou=people,dc=example,dc=com\nchangetype: modify\n"
      "replace: mail\nmail: carol@new.example.com\n"));
  ASSERT_TRUE(slapd_->Modify("dn: uid=dave,ou=people,dc=example,dc=com\n"
                             "changetype: delete\n"));
  const std::string carol_session = Login("carol", "carol-password");
  ASSERT_TRUE(Sync(org.id(), false, &r).ok());
  EXPECT_EQ(r.updated(), 1) << "grace; carol's login already refreshed her";
  EXPECT_EQ(Change(r, "grace"), "updated: changed: primary_role, add_on_roles");
  EXPECT_EQ(r.disabled(), 1);
  EXPECT_EQ(Change(r, "dave"), "disabled: not in the directory");
  EXPECT_EQ(Sql("SELECT enabled FROM users WHERE username = 'dave'"), "f");
  EXPECT_EQ(Sql("SELECT primary_role FROM users WHERE username = 'grace'"),
            "BASIC_USER");
  EXPECT_EQ(CountUsers(org.id(), " AND enabled"), "8");
  v1::User me;
  EXPECT_TRUE(users_->GetCurrentUser(Ctx(carol_session).get(), {}, &me).ok());
  EXPECT_EQ(me.email(), "carol@new.example.com");
}

TEST_F(LdapSyncE2eTest, OneSyncPerOrganizationAcrossReplicas) {
  v1::Organization org = LdapOrg();
  // Another replica's sync holds the organization's lock in PostgreSQL.
  pqxx::connection other(SharedPostgres().Url(database()));
  pqxx::nontransaction tx(other);
  tx.exec_params("SELECT pg_advisory_lock(hashtextextended($1, 0))",
                 "ldap_sync:" + org.id());
  v1::SyncLdapUsersResponse r;
  grpc::Status busy = Sync(org.id(), true, &r);
  EXPECT_EQ(busy.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_NE(busy.error_message().find("already running"), std::string::npos);
  tx.exec_params("SELECT pg_advisory_unlock(hashtextextended($1, 0))",
                 "ldap_sync:" + org.id());
  EXPECT_TRUE(Sync(org.id(), true, &r).ok()) << "free again";
}

TEST_F(LdapSyncE2eTest, ADirectoryListingNobodyDisablesNobody) {
  v1::Organization org = CreateOrg();
  // Local usernames from `mail`, so they cannot clash with the other tests'.
  v1::ConfigureLdapProviderRequest req =
      ProviderConfig(org.id(), "(mail={username})");
  req.mutable_ldap()->set_username_attribute("mail");
  v1::IdentityProvider out;
  ASSERT_TRUE(orgs_->ConfigureLdapProvider(Ctx(AdminToken()).get(), req, &out).ok());
  ASSERT_TRUE(LdapLogin("heidi@example.com", "heidi-password", org.id()).ok());
  // A filter typo: the directory now lists nobody.
  req.mutable_ldap()->set_user_filter("(&(mail={username})(description=typo))");
  ASSERT_TRUE(orgs_->ConfigureLdapProvider(Ctx(AdminToken()).get(), req, &out).ok());
  v1::SyncLdapUsersResponse r;
  grpc::Status s = Sync(org.id(), false, &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("nothing was disabled"), std::string::npos);
  EXPECT_EQ(CountUsers(org.id(), " AND enabled"), "1");
}

TEST_F(LdapSyncE2eTest, SyncNeedsAProviderAndAnAdmin) {
  v1::SyncLdapUsersResponse r;
  EXPECT_EQ(Sync(CreateOrg().id(), false, &r).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Sync("not-an-id", false, &r).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace identity::testing
