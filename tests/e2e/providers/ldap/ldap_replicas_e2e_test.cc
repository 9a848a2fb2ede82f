// LDAP provider settings are kept in memory by every replica (each LDAP
// login reads them): a reconfiguration reaches the replica that made it at
// once and the others within a second, through the database's change feed.
#include <thread>

#include "absl/time/clock.h"
#include "tests/e2e/providers/ldap/ldap_fixture.h"

namespace identity::testing {
namespace {

class LdapReplicasE2eTest : public LdapE2eTest {
 protected:
  // Logs rosa in through `auth`: her primary role, or the error message.
  static std::string RoleOf(v1::AuthService::Stub& auth,
                            const std::string& org) {
    v1::AuthenticateRequest req;
    req.set_username("rosa");
    req.set_password("rosa-password");
    req.set_organization(org);
    v1::AuthenticateResponse resp;
    grpc::Status s = auth.Authenticate(Ctx().get(), req, &resp);
    return s.ok() ? resp.user().primary_role() : s.error_message();
  }
};

TEST_F(LdapReplicasE2eTest, AReconfiguredProviderReachesEveryReplicaWithinASecond) {
  v1::Organization org = LdapOrg();
  RememberSecret("rosa-password");
  ASSERT_TRUE(slapd_->Modify(
      "dn: uid=rosa,ou=people,dc=example,dc=com\nchangetype: add\n"
      "objectClass: inetOrgPerson\nuid: rosa\ncn: Rosa\nsn: Rosa\n"
      "mail: rosa@example.com\nuserPassword: rosa-password\n"));
  std::unique_ptr<IdentitydServer> other = IdentitydServer::Start(server().options());
  ASSERT_NE(other, nullptr);
  auto other_auth = v1::AuthService::NewStub(other->NewChannel());
  auto cache_hits = [&] {
    return MetricValue(other->Metrics(), "identity_credential_cache_hits_total");
  };
  const absl::Time started = absl::Now();
  while (MetricValue(other->Metrics(), "identity_credential_cache_live") != 1 &&
         absl::Now() - started < absl::Seconds(10)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(RoleOf(*other_auth, org.id()), "BASIC_USER");
  const double hits = cache_hits();
  ASSERT_EQ(RoleOf(*other_auth, org.id()), "BASIC_USER");
  ASSERT_GT(cache_hits(), hits) << "the settings came from the replica's memory";

  v1::ConfigureLdapProviderRequest req = ProviderConfig(org.id(), "(uid={username})");
  req.mutable_ldap()->set_default_role("ADMIN");
  v1::IdentityProvider out;
  ASSERT_TRUE(orgs_->ConfigureLdapProvider(Ctx(AdminToken()).get(), req, &out).ok());
  EXPECT_EQ(RoleOf(*auth_, org.id()), "ADMIN") << "the replica that wrote, at once";
  const absl::Time changed = absl::Now();
  while (RoleOf(*other_auth, org.id()) != "ADMIN" &&
         absl::Now() - changed < absl::Seconds(3)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_LT(absl::Now() - changed, absl::Seconds(1)) << "the other replica";
  EXPECT_TRUE(slapd_->Modify(
      "dn: uid=rosa,ou=people,dc=example,dc=com\nchangetype: delete\n"));
}

}  // namespace
}  // namespace identity::testing
