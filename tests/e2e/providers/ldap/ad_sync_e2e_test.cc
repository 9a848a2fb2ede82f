// SyncLdapUsers against a real Active Directory domain controller: account
// state from userAccountControl and accountExpires, and paging past AD's
// MaxPageSize (1,000).
#include "absl/time/clock.h"
#include "tests/e2e/providers/ldap/ad_fixture.h"

namespace identity::testing {
namespace {

class AdSyncE2eTest : public AdE2eTest {};

TEST_F(AdSyncE2eTest, SyncDisablesWhatAdDisabledAndEnablesItAgain) {
  v1::Organization org = AdOrg("OU=SyncState,DC=corp,DC=example");
  v1::SyncLdapUsersResponse r;
  grpc::Status s = Sync(org.id(), &r);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(r.created(), 3);
  EXPECT_EQ(Change(r, "sven@corp.example"),
            "created: primary role BASIC_USER; disabled: the account is "
            "disabled or locked in the directory");
  EXPECT_EQ(Change(r, "suzy@corp.example"),
            "created: primary role BASIC_USER; disabled: the account has "
            "expired in the directory");
  auto enabled = [&](const std::string& name) {
    return Sql(
        "SELECT enabled::text || ' ' || coalesce(disabled_by, '-') FROM "
        "users WHERE username = '" +
        name + "@corp.example'");
  };
  EXPECT_EQ(enabled("sara"), "true -");
  EXPECT_EQ(enabled("sven"), "false provider");
  EXPECT_EQ(enabled("suzy"), "false provider");

  ASSERT_TRUE(Ad()->Tool({"user", "enable", "sven"}));
  ASSERT_TRUE(Ad()->Tool({"user", "disable", "sara"}));
  ASSERT_TRUE(Sync(org.id(), &r).ok());
  EXPECT_EQ(Change(r, "sven@corp.example"),
            "enabled: enabled again in the directory");
  EXPECT_EQ(Change(r, "sara@corp.example"),
            "disabled: the account is disabled or locked in the directory");
  EXPECT_EQ(r.disabled(), 1);
  EXPECT_EQ(enabled("sven"), "true -");
  EXPECT_EQ(enabled("sara"), "false provider");
  EXPECT_EQ(enabled("suzy"), "false provider") << "still expired";
}

// 2,500 entries: more than AD's MaxPageSize, so only paging sees them all.
TEST_F(AdSyncE2eTest, PagedSyncReadsAllOf2500Users) {
  std::string ldif;
  for (int i = 0; i < 2500; ++i) {
    const std::string name = "bulk" + std::to_string(10000 + i).substr(1);
    ldif += "dn: CN=" + name +
            ",OU=Bulk,DC=corp,DC=example\nobjectClass: user\n"
            "sAMAccountName: " +
            name + "\nuserPrincipalName: " + name +
            "@corp.example\nuserAccountControl: 544\n\n";
  }
  absl::Time start = absl::Now();
  ASSERT_TRUE(Ad()->BulkAdd(ldif));
  std::cerr << "seeded 2500 users in " << absl::Now() - start << "\n";
  v1::Organization org = AdOrg("OU=Bulk,DC=corp,DC=example");
  v1::SyncLdapUsersResponse r;
  start = absl::Now();
  v1::SyncLdapUsersRequest req;
  req.set_organization_id(org.id());
  std::unique_ptr<grpc::ClientContext> ctx = Ctx(AdminToken());
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(5));
  grpc::Status s = orgs_->SyncLdapUsers(ctx.get(), req, &r);
  ASSERT_TRUE(s.ok()) << s.error_message();
  std::cerr << "synced 2500 users in " << absl::Now() - start << "\n";
  EXPECT_EQ(r.created(), 2500);
  EXPECT_EQ(Sql("SELECT count(*) FROM users WHERE organization_id = '" +
                org.id() + "' AND enabled AND external_id IS NOT NULL"),
            "2500");
  EXPECT_EQ(Sql("SELECT count(*) FROM user_roles r JOIN users u ON u.id = "
                "r.user_id WHERE u.organization_id = '" +
                org.id() + "' AND r.role = 'CONTROL_CENTER'"),
            "2500")
      << "Domain Users, everyone's primary group";
  ASSERT_TRUE(Sync(org.id(), &r).ok());
  EXPECT_EQ(r.unchanged(), 2500);
}

}  // namespace
}  // namespace identity::testing
