// A suite with a real slapd seeded from tests/support/ldap_seed.h and an
// identityd that can seal secrets (for the bind password).
#ifndef IDENTITY_TESTS_E2E_PROVIDERS_LDAP_LDAP_FIXTURE_H_
#define IDENTITY_TESTS_E2E_PROVIDERS_LDAP_LDAP_FIXTURE_H_

#include <memory>
#include <string>

#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/e2e/e2e_fixture.h"
#include "tests/support/secret_watch.h"
#include "tests/support/ldap_seed.h"
#include "tests/support/slapd_server.h"

namespace identity::testing {

class LdapE2eTest : public E2eTest {
 public:
  static void SetUpTestSuite() {
    slapd_ = SlapdServer::Start(kLdapSeed);
    ASSERT_NE(slapd_, nullptr);
    RememberSecret(SlapdServer::kReaderPassword);
    ExtraEnv() = {{"IDENTITY_SECRET_KEY",
                   "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0zMmJ5dGU="}};
    E2eTest::SetUpTestSuite();
  }
  static void TearDownTestSuite() {
    E2eTest::TearDownTestSuite();
    slapd_.reset();
  }

 protected:
  // A provider for `org` on the test directory: users under ou=people by
  // `filter`, cn=admins -> ADMIN + CONTROL_CENTER, cn=staff -> PORTAL_ACCESS.
  static v1::ConfigureLdapProviderRequest ProviderConfig(
      const std::string& org, const std::string& filter) {
    v1::ConfigureLdapProviderRequest req;
    req.set_organization_id(org);
    v1::LdapConfig* l = req.mutable_ldap();
    l->add_urls(slapd_->url());
    l->set_bind_dn(SlapdServer::kReaderDn);
    l->set_bind_password(SlapdServer::kReaderPassword);
    l->set_user_base_dn("ou=people,dc=example,dc=com");
    l->set_user_filter(filter);
    l->set_email_attribute("mail");
    l->set_display_name_attribute("cn");
    l->set_group_base_dn("ou=groups,dc=example,dc=com");
    l->set_group_member_attribute("member");
    v1::GroupRoleMapping* m = l->add_group_role_mappings();
    m->set_group("cn=admins,ou=groups,dc=example,dc=com");
    m->set_primary_role("ADMIN");
    m->add_add_on_roles("CONTROL_CENTER");
    v1::GroupRoleMapping* staff = l->add_group_role_mappings();
    staff->set_group("cn=staff,ou=groups,dc=example,dc=com");
    staff->add_add_on_roles("PORTAL_ACCESS");
    l->set_connect_timeout_ms(1000);
    return req;
  }

  // An organization with an LDAP provider; `filter` picks users by uid or mail.
  static v1::Organization LdapOrg(const std::string& filter = "(uid={username})",
                                  const std::string& login_domain = "") {
    v1::Organization org = CreateOrg();
    v1::ConfigureLdapProviderRequest req = ProviderConfig(org.id(), filter);
    v1::IdentityProvider out;
    EXPECT_TRUE(orgs_->ConfigureLdapProvider(Ctx(AdminToken()).get(), req, &out).ok());
    if (!login_domain.empty()) {
      v1::UpdateOrganizationRequest up;
      up.set_id(org.id());
      up.mutable_login_domains()->add_values(login_domain);
      EXPECT_TRUE(orgs_->UpdateOrganization(Ctx(AdminToken()).get(), up, &org).ok());
    }
    return org;
  }

  static grpc::Status LdapLogin(const std::string& user, const std::string& password,
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

  static grpc::health::v1::HealthCheckResponse::ServingStatus Health(
      const std::string& service) {
    grpc::health::v1::HealthCheckRequest req;
    req.set_service(service);
    grpc::health::v1::HealthCheckResponse resp;
    auto stub = grpc::health::v1::Health::NewStub(server().NewChannel());
    grpc::ClientContext ctx;
    if (!stub->Check(&ctx, req, &resp).ok()) {
      return grpc::health::v1::HealthCheckResponse::SERVICE_UNKNOWN;
    }
    return resp.status();
  }

  static inline std::unique_ptr<SlapdServer> slapd_;
};

}  // namespace identity::testing

#endif  // IDENTITY_TESTS_E2E_PROVIDERS_LDAP_LDAP_FIXTURE_H_
