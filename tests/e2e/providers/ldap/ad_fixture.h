// Suites against a real Active Directory domain controller (Samba's AD DC),
// provisioned once per test binary and seeded with the users and groups
// below; identityd as in the other end-to-end suites. Where the domain
// controller cannot run (not installed, not root, ports 389/636 taken) every
// test is skipped with the reason.
#ifndef IDENTITY_TESTS_E2E_PROVIDERS_LDAP_AD_FIXTURE_H_
#define IDENTITY_TESTS_E2E_PROVIDERS_LDAP_AD_FIXTURE_H_

#include <memory>
#include <string>

#include "tests/e2e/e2e_fixture.h"
#include "tests/support/samba_ad_server.h"
#include "tests/support/secret_watch.h"

namespace identity::testing {

// The domain controller of this test binary, or null with the reason.
SambaAdServer* Ad();
const std::string& AdUnavailableReason();

// The seed's users: <name> with password "<Name>-Pass-2026!", under
// OU=People; Engineers is in Staff and Builders (two parents), Staff in
// Admins.
inline std::string AdPassword(const std::string& name) {
  std::string p = name + "-Pass-2026!";
  p[0] = static_cast<char>(p[0] - 'a' + 'A');
  return p;
}
inline constexpr char kAdPeople[] = "OU=People,DC=corp,DC=example";
inline constexpr char kAdGroups[] = "OU=Groups,DC=corp,DC=example";

class AdE2eTest : public E2eTest {
 public:
  static void SetUpTestSuite() {
    if (Ad() == nullptr) return;
    RememberSecret(SambaAdServer::kAdminPassword);
    ExtraEnv() = {{"IDENTITY_SECRET_KEY",
                   "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0zMmJ5dGU="}};
    E2eTest::SetUpTestSuite();
  }
  static void TearDownTestSuite() { E2eTest::TearDownTestSuite(); }
  void SetUp() override {
    if (Ad() == nullptr) {
      GTEST_SKIP() << "no Active Directory domain controller: "
                   << AdUnavailableReason();
    }
  }

 protected:
  // A provider on the domain: users under `base` by sAMAccountName, stored
  // by userPrincipalName; Admins -> ADMIN, Builders -> PORTAL_ACCESS, Domain
  // Users (everyone's primary group) -> CONTROL_CENTER. LDAPS with the CA.
  static v1::ConfigureLdapProviderRequest AdConfig(const std::string& org,
                                                   const std::string& base) {
    v1::ConfigureLdapProviderRequest req;
    req.set_organization_id(org);
    v1::LdapConfig* l = req.mutable_ldap();
    l->add_urls(Ad()->ldaps_url());
    l->set_ca_certificate_pem(Ad()->ca_pem());
    l->set_bind_dn(SambaAdServer::kAdminBindDn);
    l->set_bind_password(SambaAdServer::kAdminPassword);
    l->set_user_base_dn(base);
    l->set_user_filter(
        "(&(objectClass=user)(objectCategory=person)(sAMAccountName={username})"
        ")");
    l->set_username_attribute("userPrincipalName");
    l->set_email_attribute("mail");
    l->set_display_name_attribute("displayName");
    l->set_group_base_dn(SambaAdServer::kBaseDn);
    l->set_group_member_attribute("member");
    auto map = [&](const std::string& group, const std::string& primary,
                   const std::string& add_on) {
      v1::GroupRoleMapping* m = l->add_group_role_mappings();
      m->set_group(group);
      m->set_primary_role(primary);
      if (!add_on.empty()) m->add_add_on_roles(add_on);
    };
    map(std::string("CN=Admins,") + kAdGroups, "ADMIN", "");
    map(std::string("CN=Builders,") + kAdGroups, "", "PORTAL_ACCESS");
    map("CN=Domain Users,CN=Users,DC=corp,DC=example", "", "CONTROL_CENTER");
    return req;
  }
  static v1::Organization AdOrg(const std::string& base = kAdPeople) {
    v1::Organization org = CreateOrg();
    v1::IdentityProvider out;
    grpc::Status s = orgs_->ConfigureLdapProvider(
        Ctx(AdminToken()).get(), AdConfig(org.id(), base), &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return org;
  }
  static grpc::Status AdLogin(const std::string& user,
                              const std::string& password,
                              const std::string& org = "",
                              v1::AuthenticateResponse* out = nullptr) {
    v1::AuthenticateRequest req;
    req.set_username(user);
    req.set_password(password);
    RememberSecret(password);
    req.set_organization(org);
    v1::AuthenticateResponse ignored;
    return auth_->Authenticate(Ctx().get(), req, out ? out : &ignored);
  }
  static std::string Column(const std::string& id, const std::string& column) {
    return Sql("SELECT coalesce(" + column +
               "::text, '') FROM users WHERE id = '" + id + "'");
  }
  static std::string LastFailure(const std::string& typed) {
    return Sql(
        "SELECT details->>'reason' FROM audit_events WHERE action = "
        "'auth.login_failed' AND details->>'username' = '" +
        typed + "' ORDER BY id DESC LIMIT 1");
  }
  static grpc::Status Sync(const std::string& org,
                           v1::SyncLdapUsersResponse* out) {
    v1::SyncLdapUsersRequest req;
    req.set_organization_id(org);
    return orgs_->SyncLdapUsers(Ctx(AdminToken()).get(), req, out);
  }
  static std::string Change(const v1::SyncLdapUsersResponse& r,
                            const std::string& username) {
    for (const v1::LdapSyncChange& c : r.changes()) {
      if (c.username() == username) return c.action() + ": " + c.reason();
    }
    return "";
  }
};

}  // namespace identity::testing

#endif  // IDENTITY_TESTS_E2E_PROVIDERS_LDAP_AD_FIXTURE_H_
