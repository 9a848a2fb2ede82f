// SAML tests against an independent IdP: tests/tools/saml_idp.py on
// python3-pysaml2, which reads this service's SP metadata, takes the
// AuthnRequest from the redirect URL and answers with a signed response.
#ifndef IDENTITY_TESTS_E2E_PROVIDERS_SAML_SAML_FIXTURE_H_
#define IDENTITY_TESTS_E2E_PROVIDERS_SAML_SAML_FIXTURE_H_

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "tests/e2e/e2e_fixture.h"

namespace identity::testing {

// One IdP: its own key, entity ID and metadata, in a temporary directory.
struct TestIdp {
  std::string dir;
  std::string entity_id;
  std::string metadata() const { return ReadFile(dir + "/idp-metadata.xml"); }
};

class SamlE2eTest : public E2eTest {
 public:
  static void SetUpTestSuite() {
    ExtraEnv() = {{"IDENTITY_SECRET_KEY",
                   "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0zMmJ5dGU="}};
    E2eTest::SetUpTestSuite();
  }

  static TestIdp MakeIdp(const std::string& name) {
    TestIdp idp{MakeTempDir("identity-idp-"), "https://" + name + ".example.com/idp"};
    EXPECT_EQ(RunCommand({"/usr/bin/python3", SAML_IDP_PATH, "init", idp.dir,
                          idp.entity_id, "https://" + name + ".example.com/sso"},
                         idp.dir + "/init.log"),
              0)
        << ReadFile(idp.dir + "/init.log");
    return idp;
  }

  // An organization whose SAML provider is `idp`: users by user.email,
  // "admins" -> ADMIN + CONTROL_CENTER, "staff" -> PORTAL_ACCESS.
  static v1::ConfigureSamlProviderRequest Config(const std::string& org,
                                                 const TestIdp& idp) {
    v1::ConfigureSamlProviderRequest req;
    req.set_organization_id(org);
    v1::SamlConfig* s = req.mutable_saml();
    s->set_idp_metadata_xml(idp.metadata());
    s->set_sp_entity_id("https://identity.example.com/saml/" + org);
    s->set_acs_url("https://identity.example.com/saml/" + org + "/acs");
    s->set_username_attribute("user.email");
    s->set_email_attribute("user.email");
    s->set_display_name_attribute("user.displayName");
    s->set_groups_attribute("user.groups");
    v1::GroupRoleMapping* admins = s->add_group_role_mappings();
    admins->set_group("admins");
    admins->set_primary_role("ADMIN");
    admins->add_add_on_roles("CONTROL_CENTER");
    v1::GroupRoleMapping* staff = s->add_group_role_mappings();
    staff->set_group("staff");
    staff->add_add_on_roles("PORTAL_ACCESS");
    return req;
  }
  static v1::Organization SamlOrg(const TestIdp& idp) {
    v1::Organization org = CreateOrg();
    v1::IdentityProvider out;
    grpc::Status s = orgs_->ConfigureSamlProvider(Ctx(AdminToken()).get(),
                                                  Config(org.id(), idp), &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return org;
  }

  // What the IdP answers for `org`'s AuthnRequest; "" when it refused.
  // `env` shapes the answer (IDP_SIGN=both, IDP_ALG=sha1, ...: see the
  // test IdP's usage).
  struct Answer {
    std::string saml_response;
    std::string relay_state;
  };
  static Answer IdpAnswer(const std::string& org, const TestIdp& idp,
                          const std::string& name_id,
                          const std::vector<std::string>& attributes,
                          const std::string& mode = "",
                          const std::vector<std::string>& env = {}) {
    v1::BeginSamlLoginRequest begin;
    begin.set_organization(org);
    v1::BeginSamlLoginResponse redirect;
    grpc::Status s = auth_->BeginSamlLogin(Ctx().get(), begin, &redirect);
    EXPECT_TRUE(s.ok()) << s.error_message();
    v1::GetSamlMetadataRequest mreq;
    mreq.set_organization(org);
    v1::GetSamlMetadataResponse metadata;
    EXPECT_TRUE(auth_->GetSamlMetadata(Ctx().get(), mreq, &metadata).ok());
    const std::string sp_file = idp.dir + "/sp-" + org + ".xml";
    std::ofstream(sp_file) << metadata.metadata_xml();
    std::vector<std::string> argv = {"/usr/bin/env", "IDP_MODE=" + mode};
    argv.insert(argv.end(), env.begin(), env.end());
    for (const char* arg : {"/usr/bin/python3", SAML_IDP_PATH, "respond"}) {
      argv.push_back(arg);
    }
    for (const std::string& arg : {idp.dir, sp_file, redirect.redirect_url(), name_id}) {
      argv.push_back(arg);
    }
    argv.insert(argv.end(), attributes.begin(), attributes.end());
    const std::string out = idp.dir + "/answer.txt";
    std::remove(out.c_str());
    if (RunCommand(argv, out) != 0) {
      ADD_FAILURE() << "the test IdP failed: " << ReadFile(out);
      return {};
    }
    std::vector<std::string> lines = absl::StrSplit(ReadFile(out), '\n');
    if (lines.size() < 2) return {};
    return {lines[0], lines[1]};
  }
  static grpc::Status Complete(const Answer& answer,
                               v1::AuthenticateResponse* out = nullptr) {
    v1::CompleteSamlLoginRequest req;
    req.set_saml_response(answer.saml_response);
    req.set_relay_state(answer.relay_state);
    v1::AuthenticateResponse ignored;
    return auth_->CompleteSamlLogin(Ctx().get(), req, out ? out : &ignored);
  }
  static std::string LastRefusal() {
    return Sql("SELECT details->>'reason' FROM audit_events WHERE action = "
               "'auth.login_failed' ORDER BY id DESC LIMIT 1");
  }
};

}  // namespace identity::testing

#endif  // IDENTITY_TESTS_E2E_PROVIDERS_SAML_SAML_FIXTURE_H_
