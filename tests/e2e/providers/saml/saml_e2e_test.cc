// SAML single sign-on end to end: identityd as the SP (lasso), pysaml2 as
// two independent IdPs.
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "tests/e2e/providers/saml/saml_fixture.h"

namespace identity::testing {
namespace {

using SamlLoginE2eTest = SamlE2eTest;

TEST_F(SamlLoginE2eTest, TwoOrganizationsLogInThroughTheirOwnIdps) {
  TestIdp okta = MakeIdp("okta-like");
  TestIdp azure = MakeIdp("azure-like");
  v1::Organization a = SamlOrg(okta);
  v1::Organization b = SamlOrg(azure);

  v1::AuthenticateResponse login;
  grpc::Status s = Complete(IdpAnswer(a.name(), okta, "okta-00u1",
                                      {"user.email=ann@a.example.com",
                                       "user.displayName=Ann A", "user.groups=admins",
                                       "user.groups=staff"}),
                            &login);
  ASSERT_TRUE(s.ok()) << s.error_message() << " / " << LastRefusal();
  const v1::User ann = login.user();
  EXPECT_EQ(ann.origin(), v1::ORIGIN_SAML);
  EXPECT_EQ(ann.organization_id(), a.id());
  EXPECT_EQ(ann.username(), "ann@a.example.com");
  EXPECT_EQ(ann.display_name(), "Ann A");
  EXPECT_EQ(ann.primary_role(), "ADMIN") << "group admins";
  EXPECT_FALSE(login.session_token().empty());
  EXPECT_EQ(Sql("SELECT external_id FROM users WHERE id = '" + ann.id() + "'"),
            "okta-00u1") << "linked by the NameID";

  // Next login: no group attribute at all means no groups, not an error.
  s = Complete(IdpAnswer(a.name(), okta, "okta-00u1",
                         {"user.email=ann@a.example.com", "user.displayName=Ann B"}),
               &login);
  ASSERT_TRUE(s.ok()) << s.error_message() << " / " << LastRefusal();
  EXPECT_EQ(login.user().id(), ann.id());
  EXPECT_EQ(login.user().primary_role(), "BASIC_USER") << "refreshed";
  EXPECT_EQ(login.user().display_name(), "Ann B");

  s = Complete(IdpAnswer(b.id(), azure, "azure-7f3c", {"user.email=bob@b.example.com"}),
               &login);
  ASSERT_TRUE(s.ok()) << s.error_message() << " / " << LastRefusal();
  EXPECT_EQ(login.user().organization_id(), b.id());

  // A response organization B's IdP signed, posted against a request of
  // organization A: a signature by a key not in A's IdP metadata.
  Answer for_a = IdpAnswer(a.name(), okta, "okta-00u1", {"user.email=ann@a.example.com"});
  Answer for_b = IdpAnswer(b.name(), azure, "azure-7f3c", {"user.email=bob@b.example.com"});
  s = Complete({for_b.saml_response, for_a.relay_state});
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(s.error_message(), "saml login refused");
  EXPECT_TRUE(absl::StrContains(LastRefusal(), "saml:")) << LastRefusal();
}

TEST_F(SamlLoginE2eTest, EveryForgedOrStaleAnswerIsRefusedWithItsReason) {
  TestIdp idp = MakeIdp("strict");
  v1::Organization org = SamlOrg(idp);
  const std::vector<std::string> attrs = {"user.email=eve@strict.example.com"};
  struct Case {
    std::string mode, reason;
  };
  for (const Case& c : {Case{"unsigned", "no signature"},
                        Case{"rogue-key", "does not verify"},
                        Case{"wrapped", "several assertions"},
                        Case{"expired", "expired"},
                        Case{"error-status", "Status"},
                        Case{"other-destination", "wrong destination"}}) {
    Answer answer = IdpAnswer(org.name(), idp, "eve-1", attrs, c.mode);
    ASSERT_FALSE(answer.saml_response.empty()) << c.mode;
    grpc::Status s = Complete(answer);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << c.mode;
    EXPECT_TRUE(absl::StrContains(LastRefusal(), c.reason))
        << c.mode << ": " << LastRefusal();
  }
  EXPECT_EQ(Sql("SELECT count(*) FROM users WHERE organization_id = '" + org.id() + "'"),
            "0") << "no refused answer made a user";

  // A good answer works once; replayed, it is refused.
  Answer good = IdpAnswer(org.name(), idp, "eve-1", attrs);
  ASSERT_TRUE(Complete(good).ok()) << LastRefusal();
  EXPECT_EQ(Complete(good).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(absl::StrContains(LastRefusal(), "relay state")) << LastRefusal();
  // The same response under a relay state naming the organization (an
  // IdP-initiated login, off by default).
  Answer unsolicited{good.saml_response, org.name()};
  EXPECT_EQ(Complete(unsolicited).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(absl::StrContains(LastRefusal(), "IdP-initiated")) << LastRefusal();
  // Tampered: one character of the signed document changed.
  Answer tampered = IdpAnswer(org.name(), idp, "eve-1", attrs);
  std::string xml;
  ASSERT_TRUE(absl::Base64Unescape(tampered.saml_response, &xml));
  const size_t at = xml.find("eve@strict");
  ASSERT_NE(at, std::string::npos);
  xml[at] = 'm';
  tampered.saml_response = absl::Base64Escape(xml);
  EXPECT_EQ(Complete(tampered).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(absl::StrContains(LastRefusal(), "does not verify")) << LastRefusal();
}

TEST_F(SamlLoginE2eTest, AnIdpAnsweringGarbageIsRefusedNotFatal) {
  TestIdp idp = MakeIdp("garbage");
  v1::Organization org = SamlOrg(idp);
  for (const std::string& body :
       {std::string("not base64 at all!"), absl::Base64Escape("<html>502 Bad Gateway</html>"),
        absl::Base64Escape(std::string(4096, '\0')),
        absl::Base64Escape("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM "
                           "\"file:///etc/passwd\">]><r>&x;</r>"),
        absl::Base64Escape("<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"/>")}) {
    v1::BeginSamlLoginRequest begin;  // a fresh pending request for each
    begin.set_organization(org.id());
    v1::BeginSamlLoginResponse redirect;
    ASSERT_TRUE(auth_->BeginSamlLogin(Ctx().get(), begin, &redirect).ok());
    grpc::Status s = Complete({body, redirect.relay_state()});
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << body.substr(0, 30);
    EXPECT_FALSE(absl::StrContains(LastRefusal(), "relay state")) << LastRefusal();
  }
  EXPECT_FALSE(absl::StrContains(server().log(), "root:x:0:0")) << "no XXE";
}

TEST_F(SamlLoginE2eTest, EitherCertificateOfARolloverVerifies) {
  TestIdp idp = MakeIdp("rollover");
  v1::Organization org = SamlOrg(idp);
  const std::vector<std::string> attrs = {"user.email=rita@rollover.example.com"};
  EXPECT_TRUE(Complete(IdpAnswer(org.name(), idp, "rita", attrs)).ok()) << LastRefusal();
  EXPECT_TRUE(Complete(IdpAnswer(org.name(), idp, "rita", attrs, "next-key")).ok())
      << "signed with the second certificate the metadata lists: " << LastRefusal();
}

TEST_F(SamlLoginE2eTest, AnAnswerForAnotherAudienceIsRefused) {
  TestIdp idp = MakeIdp("audience");
  v1::Organization org = SamlOrg(idp);
  Answer answer = IdpAnswer(org.name(), idp, "al", {"user.email=al@audience.example.com"});
  // The SP's entity ID changes after the IdP answered for the old one.
  v1::ConfigureSamlProviderRequest req = Config(org.id(), idp);
  req.mutable_saml()->set_sp_entity_id("https://identity.example.com/renamed");
  v1::IdentityProvider out;
  ASSERT_TRUE(orgs_->ConfigureSamlProvider(Ctx(AdminToken()).get(), req, &out).ok());
  EXPECT_EQ(Complete(answer).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(absl::StrContains(LastRefusal(), "wrong audience")) << LastRefusal();
}

TEST_F(SamlLoginE2eTest, IdpInitiatedLoginWhenAllowedAndNeverTwice) {
  TestIdp idp = MakeIdp("initiated");
  v1::Organization org = CreateOrg();
  v1::ConfigureSamlProviderRequest req = Config(org.id(), idp);
  req.mutable_saml()->set_allow_idp_initiated(true);
  v1::IdentityProvider out;
  ASSERT_TRUE(orgs_->ConfigureSamlProvider(Ctx(AdminToken()).get(), req, &out).ok());
  Answer answer = IdpAnswer(org.name(), idp, "ivy",
                            {"user.email=ivy@initiated.example.com"}, "unsolicited");
  // Posted by the IdP on its own, with the organization as relay state.
  Answer unsolicited{answer.saml_response, org.name()};
  v1::AuthenticateResponse login;
  ASSERT_TRUE(Complete(unsolicited, &login).ok()) << LastRefusal();
  EXPECT_EQ(login.user().organization_id(), org.id());
  EXPECT_EQ(Complete(unsolicited).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(absl::StrContains(LastRefusal(), "replayed assertion")) << LastRefusal();
}

TEST_F(SamlLoginE2eTest, AUsernameOfAnotherAccountIsNeverLinked) {
  TestIdp idp = MakeIdp("linking");
  v1::Organization org = SamlOrg(idp);
  v1::User internal = CreateUser(org.id(), "BASIC_USER");
  grpc::Status s = Complete(IdpAnswer(org.name(), idp, "someone-else",
                                      {"user.email=" + internal.username()}));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(absl::StrContains(LastRefusal(), "another_account")) << LastRefusal();
}

TEST_F(SamlLoginE2eTest, TheProviderIsReadBackWithoutItsKeyAndPublishesMetadata) {
  TestIdp idp = MakeIdp("config");
  v1::Organization org = CreateOrg();
  v1::ConfigureSamlProviderRequest req = Config(org.id(), idp);
  v1::IdentityProvider out;
  ASSERT_TRUE(orgs_->ConfigureSamlProvider(Ctx(AdminToken()).get(), req, &out).ok());
  EXPECT_EQ(out.type(), "saml");
  EXPECT_EQ(out.saml().idp_entity_id(), idp.entity_id);
  EXPECT_TRUE(absl::StrContains(out.saml().sp_certificate_pem(), "BEGIN CERTIFICATE"))
      << "a key pair was generated";
  EXPECT_TRUE(out.saml().sp_private_key_pem().empty());
  v1::GetIdentityProviderRequest get;
  get.set_organization_id(org.id());
  v1::IdentityProvider read;
  ASSERT_TRUE(orgs_->GetIdentityProvider(Ctx(AdminToken()).get(), get, &read).ok());
  EXPECT_EQ(read.type(), "saml");
  EXPECT_TRUE(read.saml().sp_private_key_pem().empty());
  EXPECT_EQ(Sql("SELECT position('PRIVATE KEY'::bytea in "
                "decode(document->>'sp_private_key_box', 'base64')) FROM "
                "identity_provider_settings WHERE type = 'saml' AND "
                "organization_id = '" +
                org.id() + "'"),
            "0")
      << "stored sealed";
  v1::TestIdentityProviderRequest test;
  test.set_organization_id(org.id());
  v1::TestIdentityProviderResponse steps;
  ASSERT_TRUE(orgs_->TestIdentityProvider(Ctx(AdminToken()).get(), test, &steps).ok());
  ASSERT_EQ(steps.steps_size(), 4);
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(steps.steps(i).ok()) << steps.steps(i).name() << ": "
                                     << steps.steps(i).message();
  }
  // The test IdP's certificates live two days: the administrator is warned
  // (the generated SP certificate lives two years: not).
  EXPECT_EQ(steps.steps(3).name(), "certificates");
  EXPECT_FALSE(steps.steps(3).ok());
  EXPECT_TRUE(absl::StartsWith(steps.steps(3).message(),
                               "IdP signing certificate expires on"))
      << steps.steps(3).message();
  EXPECT_EQ(out.saml().warnings_size(), 2) << "also in the provider itself";

  // ConfigureIdentityProvider with `saml` set is the same call.
  v1::ConfigureIdentityProviderRequest any;
  any.set_organization_id(org.id());
  *any.mutable_saml() = req.saml();
  v1::IdentityProvider again;
  grpc::Status configured =
      orgs_->ConfigureIdentityProvider(Ctx(AdminToken()).get(), any, &again);
  ASSERT_TRUE(configured.ok()) << configured.error_message();
  EXPECT_EQ(again.type(), "saml");
  EXPECT_EQ(again.version(), out.version() + 1);
  EXPECT_EQ(again.saml().sp_certificate_pem(), out.saml().sp_certificate_pem())
      << "the stored key is kept";
  EXPECT_TRUE(again.saml().sp_private_key_pem().empty());
  const double idp_left = MetricValue(
      server().Metrics(), "identity_saml_certificate_expiry_seconds{organization_id=\"" +
                              org.id() + "\",certificate=\"idp_1\"}");
  EXPECT_GT(idp_left, 0);
  EXPECT_LT(idp_left, 3 * 86400) << "and in the metrics, for alerts";
  v1::GetSamlMetadataRequest mreq;
  mreq.set_organization(org.id());
  v1::GetSamlMetadataResponse metadata;
  ASSERT_TRUE(auth_->GetSamlMetadata(Ctx().get(), mreq, &metadata).ok());
  EXPECT_TRUE(absl::StrContains(metadata.metadata_xml(), req.saml().acs_url()));
  EXPECT_TRUE(absl::StrContains(metadata.metadata_xml(), "X509Certificate"));

  for (const auto& [field, mutate] :
       std::vector<std::pair<std::string, std::function<void(v1::SamlConfig*)>>>{
           {"saml.idp_metadata_xml", [](v1::SamlConfig* s) { s->set_idp_metadata_xml("<x/>"); }},
           {"saml.acs_url", [](v1::SamlConfig* s) { s->set_acs_url("ftp://x"); }},
           {"saml.sp_entity_id", [](v1::SamlConfig* s) { s->clear_sp_entity_id(); }},
           {"saml.clock_skew_seconds", [](v1::SamlConfig* s) { s->set_clock_skew_seconds(9999); }},
           {"saml.default_role", [](v1::SamlConfig* s) { s->set_default_role("NOPE"); }},
           {"saml.sp_private_key_pem", [](v1::SamlConfig* s) { s->set_sp_private_key_pem("x"); }}}) {
    v1::ConfigureSamlProviderRequest bad = req;
    mutate(bad.mutable_saml());
    grpc::Status s = orgs_->ConfigureSamlProvider(Ctx(AdminToken()).get(), bad, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << field;
    EXPECT_TRUE(absl::StartsWith(s.error_message(), field)) << s.error_message();
  }
}

// The calls anyone may make (begin a login, fetch the SP metadata) on an
// organization whose stored settings this server cannot read (a newer
// version wrote them, mid-rollback): the provider is unavailable here, to be
// retried, and the caller learns nothing of the settings, their schema or the
// organization's id; the administrator is told what to do.
TEST_F(SamlLoginE2eTest, SettingsThisServerCannotReadAreUnavailableToAnyone) {
  TestIdp idp = MakeIdp("unreadable");
  v1::Organization org = SamlOrg(idp);
  v1::BeginSamlLoginRequest begin;
  begin.set_organization(org.name());
  v1::BeginSamlLoginResponse redirect;
  ASSERT_TRUE(auth_->BeginSamlLogin(Ctx().get(), begin, &redirect).ok());
  Sql("UPDATE identity_provider_settings SET schema_version = 99 WHERE type = "
      "'saml' AND organization_id = '" + org.id() + "' RETURNING 1");

  // An answer to a login begun before.
  v1::CompleteSamlLoginRequest complete;
  complete.set_saml_response(absl::Base64Escape("<Response/>"));
  complete.set_relay_state(redirect.relay_state());
  v1::AuthenticateResponse session;
  grpc::Status completed =
      auth_->CompleteSamlLogin(Ctx().get(), complete, &session);
  grpc::Status began = auth_->BeginSamlLogin(Ctx().get(), begin, &redirect);
  v1::GetSamlMetadataRequest mreq;
  mreq.set_organization(org.name());
  v1::GetSamlMetadataResponse metadata;
  grpc::Status fetched = auth_->GetSamlMetadata(Ctx().get(), mreq, &metadata);
  for (const grpc::Status& s : {completed, began, fetched}) {
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
    EXPECT_TRUE(absl::StrContains(s.error_details(), "PROVIDER_UNAVAILABLE"));
    for (const std::string& said : {s.error_message(), s.error_details()}) {
      for (absl::string_view secret :
           {absl::string_view("schema"), absl::string_view("99"),
            absl::string_view("newer"), absl::string_view(org.id())}) {
        EXPECT_FALSE(absl::StrContains(said, secret)) << said;
      }
    }
  }
  v1::GetIdentityProviderRequest get;
  get.set_organization_id(org.id());
  v1::IdentityProvider read;
  grpc::Status s = orgs_->GetIdentityProvider(Ctx(AdminToken()).get(), get, &read);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "newer server"))
      << s.error_message();
}

}  // namespace
}  // namespace identity::testing
