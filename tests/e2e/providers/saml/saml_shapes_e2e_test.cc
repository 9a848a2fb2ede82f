// SAML responses shaped as real IdPs send them, end to end: where the
// signature sits (the Assertion only, the Response only, both), and every
// shape that must be refused however it is signed.
#include "absl/strings/match.h"
#include "tests/e2e/providers/saml/saml_fixture.h"

namespace identity::testing {
namespace {

using SamlShapesE2eTest = SamlE2eTest;

// Entra ID, AD FS and Okta sign the Assertion only by default; some IdPs
// sign the Response only, or both.
TEST_F(SamlShapesE2eTest, EverySigningShapeRealIdpsSendLogsIn) {
  TestIdp idp = MakeIdp("shapes");
  v1::Organization org = SamlOrg(idp);
  for (std::string sign : {"assertion", "response", "both"}) {
    for (std::string style : {"prefixed", "default-ns"}) {
      const std::string who = sign + "-" + style;
      v1::AuthenticateResponse login;
      grpc::Status s =
          Complete(IdpAnswer(org.name(), idp, who,
                             {"user.email=" + who + "@shapes.example.com",
                              "user.groups=admins"},
                             "", {"IDP_SIGN=" + sign, "IDP_STYLE=" + style}),
                   &login);
      ASSERT_TRUE(s.ok()) << who << ": " << s.error_message() << " / "
                          << LastRefusal();
      EXPECT_EQ(login.user().username(), who + "@shapes.example.com") << who;
      EXPECT_EQ(login.user().primary_role(), "ADMIN") << who;
      EXPECT_EQ(Sql("SELECT external_id FROM users WHERE id = '" +
                    login.user().id() + "'"),
                who);
    }
  }
}

TEST_F(SamlShapesE2eTest,
       UnsignedUncoveredAndWrappedShapesAreRefusedWithTheirReason) {
  TestIdp idp = MakeIdp("refused-shapes");
  v1::Organization org = SamlOrg(idp);
  const std::vector<std::string> attrs = {"user.email=mal@refused.example.com"};
  struct Case {
    std::string mode, sign, reason;
  };
  for (const Case& c : {
           Case{"unsigned", "none", "no signature"},
           Case{"rogue-key", "assertion", "does not verify"},
           Case{"rogue-key", "response", "does not verify"},
           Case{"rogue-key", "both", "does not verify"},
           Case{"wrapped", "assertion", "several assertions"},
           Case{"wrapped", "response", "several assertions"},
           Case{"wrapped", "both", "several assertions"},
           Case{"duplicate-id", "assertion", "ID"},
           Case{"tampered-response", "response", "does not verify"},
       }) {
    const std::string what = c.mode + "/" + c.sign;
    Answer answer = IdpAnswer(org.name(), idp, "mal", attrs, c.mode,
                              {"IDP_SIGN=" + c.sign});
    ASSERT_FALSE(answer.saml_response.empty()) << what;
    grpc::Status s = Complete(answer);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << what;
    EXPECT_EQ(s.error_message(), "saml login refused") << what;
    EXPECT_TRUE(absl::StrContains(LastRefusal(), c.reason))
        << what << ": " << LastRefusal();
  }
  EXPECT_EQ(Sql("SELECT count(*) FROM users WHERE organization_id = '" +
                org.id() + "'"),
            "0")
      << "no refused answer made a user";
}

// An attacker who holds an unsolicited assertion (signed, Response not)
// wraps it into a Response claiming to answer a fresh request of theirs.
TEST_F(SamlShapesE2eTest,
       AnUnsolicitedAssertionInAResponseToAFreshRequestIsRefused) {
  TestIdp idp = MakeIdp("wrapped-unsolicited");
  v1::Organization org = SamlOrg(idp);
  const std::vector<std::string> attrs = {"user.email=uma@wrapped.example.com"};
  grpc::Status s =
      Complete(IdpAnswer(org.name(), idp, "uma", attrs, "wrapped-unsolicited"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(absl::StrContains(LastRefusal(), "answers no request"))
      << LastRefusal();

  // Where IdP-initiated login is on, the same assertion is an IdP-initiated
  // login and is accepted as one.
  v1::ConfigureSamlProviderRequest req = Config(org.id(), idp);
  req.mutable_saml()->set_allow_idp_initiated(true);
  v1::IdentityProvider out;
  ASSERT_TRUE(
      orgs_->ConfigureSamlProvider(Ctx(AdminToken()).get(), req, &out).ok());
  s = Complete(IdpAnswer(org.name(), idp, "uma", attrs, "wrapped-unsolicited"));
  EXPECT_TRUE(s.ok()) << s.error_message() << " / " << LastRefusal();
}

TEST_F(SamlShapesE2eTest, EveryAudienceRestrictionMustBeMet) {
  TestIdp idp = MakeIdp("audiences");
  v1::Organization org = SamlOrg(idp);
  const std::vector<std::string> attrs = {
      "user.email=aud@audiences.example.com"};
  grpc::Status s =
      Complete(IdpAnswer(org.name(), idp, "aud", attrs, "two-audiences"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(absl::StrContains(LastRefusal(), "wrong audience"))
      << LastRefusal();
  s = Complete(IdpAnswer(org.name(), idp, "aud", attrs, "two-audiences-ok"));
  EXPECT_TRUE(s.ok()) << s.error_message() << " / " << LastRefusal();
}

}  // namespace
}  // namespace identity::testing
