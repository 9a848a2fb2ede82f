// What a verified SAML response says, read as the IdP meant it: values
// whole whatever markup splits their text, and the signature algorithms a
// provider accepts.
#include "absl/strings/match.h"
#include "tests/e2e/providers/saml/saml_fixture.h"

namespace identity::testing {
namespace {

using SamlValuesE2eTest = SamlE2eTest;

// A group `platform-admins<!-- -->-readonly` signed by the IdP: exclusive
// c14n without comments signs `platform-admins-readonly`, and that is the
// one group the service must see, never `platform-admins`.
TEST_F(SamlValuesE2eTest, MarkupInsideAValueNeverSplitsIt) {
  TestIdp idp = MakeIdp("values");
  v1::Organization org = CreateOrg();
  v1::ConfigureSamlProviderRequest req = Config(org.id(), idp);
  v1::GroupRoleMapping* platform =
      req.mutable_saml()->add_group_role_mappings();
  platform->set_group("platform-admins");
  platform->set_primary_role("ADMIN");
  v1::IdentityProvider out;
  ASSERT_TRUE(
      orgs_->ConfigureSamlProvider(Ctx(AdminToken()).get(), req, &out).ok());
  // Each splits "platform-admins" from "-readonly", and the NameID and
  // email where it fits them.
  struct Case {
    std::string group, name_markup, sign;
  };
  int n = 0;
  for (const Case& c :
       {Case{"platform-admins{c}-readonly", "{c}", "both"},
        Case{"platform-admins{c}-readonly", "{c}", "assertion"},
        Case{"platform-admins{pi}-readonly", "{pi}", "response"},
        Case{"platform-admins{cd}-readonly{/cd}", "{cd}{/cd}", "assertion"}}) {
    const std::string what = c.group + "/" + c.sign;
    const std::string user = "nina" + std::to_string(++n);
    v1::AuthenticateResponse login;
    grpc::Status s = Complete(
        IdpAnswer(org.name(), idp, user + c.name_markup + "-id",
                  {"user.email=" + user + c.name_markup + "@values.example.com",
                   "user.groups=" + c.group},
                  "", {"IDP_SIGN=" + c.sign}),
        &login);
    ASSERT_TRUE(s.ok()) << what << ": " << s.error_message() << " / "
                        << LastRefusal();
    EXPECT_EQ(login.user().primary_role(), "BASIC_USER")
        << what << ": platform-admins-readonly is no ADMIN group";
    EXPECT_EQ(login.user().username(), user + "@values.example.com") << what;
    EXPECT_EQ(Sql("SELECT external_id FROM users WHERE id = '" +
                  login.user().id() + "'"),
              user + "-id")
        << what << ": the NameID whole";
  }
}

TEST_F(SamlValuesE2eTest, Sha1SignaturesAreRefusedUnlessTheProviderAllowsThem) {
  TestIdp idp = MakeIdp("sha1");
  v1::Organization org = SamlOrg(idp);
  const std::vector<std::string> attrs = {"user.email=old@sha1.example.com"};
  for (std::string sign : {"assertion", "response"}) {
    grpc::Status s = Complete(IdpAnswer(org.name(), idp, "old", attrs, "",
                                        {"IDP_SIGN=" + sign, "IDP_ALG=sha1"}));
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << sign;
    EXPECT_TRUE(absl::StrContains(LastRefusal(), "signed with SHA-1"))
        << LastRefusal();
    EXPECT_TRUE(absl::StrContains(LastRefusal(), "allow_sha1_signatures"))
        << LastRefusal();
  }
  // An older AD FS relying-party trust: the administrator allows SHA-1.
  v1::ConfigureSamlProviderRequest req = Config(org.id(), idp);
  req.mutable_saml()->set_allow_sha1_signatures(true);
  v1::IdentityProvider out;
  ASSERT_TRUE(
      orgs_->ConfigureSamlProvider(Ctx(AdminToken()).get(), req, &out).ok());
  EXPECT_TRUE(out.saml().allow_sha1_signatures());
  grpc::Status s =
      Complete(IdpAnswer(org.name(), idp, "old", attrs, "", {"IDP_ALG=sha1"}));
  EXPECT_TRUE(s.ok()) << s.error_message() << " / " << LastRefusal();
}

TEST_F(SamlValuesE2eTest, TheSpSignsItsRequestsWithSha256) {
  TestIdp idp = MakeIdp("sp-sha256");
  v1::Organization org = SamlOrg(idp);
  v1::BeginSamlLoginRequest begin;
  begin.set_organization(org.id());
  v1::BeginSamlLoginResponse redirect;
  ASSERT_TRUE(auth_->BeginSamlLogin(Ctx().get(), begin, &redirect).ok());
  EXPECT_TRUE(absl::StrContains(redirect.redirect_url(),
                                "SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2F"
                                "xmldsig-more%23rsa-sha256"))
      << redirect.redirect_url();
}

// An organization that wants MFA from its IdP asks for it in every request
// (with ForceAuthn, a fresh authentication) and refuses an answer without it.
TEST_F(SamlValuesE2eTest, ARequiredAuthnContextIsRequestedAndChecked) {
  TestIdp idp = MakeIdp("mfa");
  const std::string mfa = "http://schemas.microsoft.com/claims/multipleauthn";
  v1::Organization org = CreateOrg();
  v1::ConfigureSamlProviderRequest req = Config(org.id(), idp);
  req.mutable_saml()->set_force_authn(true);
  req.mutable_saml()->set_authn_context_class_ref(mfa);
  v1::IdentityProvider out;
  ASSERT_TRUE(
      orgs_->ConfigureSamlProvider(Ctx(AdminToken()).get(), req, &out).ok());
  EXPECT_TRUE(out.saml().force_authn());
  EXPECT_EQ(out.saml().authn_context_class_ref(), mfa);
  const std::vector<std::string> attrs = {"user.email=mia@mfa.example.com"};
  const std::vector<std::string> asked = {"IDP_EXPECT_FORCE=1",
                                          "IDP_EXPECT_CONTEXT=" + mfa};
  grpc::Status s =
      Complete(IdpAnswer(org.name(), idp, "mia", attrs, "", asked));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED)
      << "a password only";
  EXPECT_TRUE(absl::StrContains(LastRefusal(),
                                "authentication context " + mfa + " required"))
      << LastRefusal();
  std::vector<std::string> with_mfa = asked;
  with_mfa.push_back("IDP_AUTHN_CONTEXT=" + mfa);
  s = Complete(IdpAnswer(org.name(), idp, "mia", attrs, "", with_mfa));
  EXPECT_TRUE(s.ok()) << s.error_message() << " / " << LastRefusal();
}

}  // namespace
}  // namespace identity::testing
