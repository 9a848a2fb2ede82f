// IdP metadata by URL, end to end: the test IdP publishes its metadata on a
// loopback HTTPS server (a CA and server certificate made for the test),
// identityd fetches it at configure time and refreshes it every second, and
// logins signed by the IdP's keys are accepted or refused as the published
// document says.
#include <csignal>
#include <cstdio>
#include <fstream>
#include <functional>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "tests/e2e/providers/saml/saml_fixture.h"
#include "tests/support/certificates.h"

namespace identity::testing {
namespace {

class SamlMetadataUrlE2eTest : public SamlE2eTest {
 public:
  static void SetUpTestSuite() {
    // The suite's own server, refreshing every second.
    ExtraEnv() = {
        {"IDENTITY_SECRET_KEY", "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0zMmJ5dGU="},
        {"IDENTITY_SAML_METADATA_REFRESH_SECONDS", "1"}};
    E2eTest::SetUpTestSuite();
    certs_ = new std::string(MakeTempDir("identity-md-certs-"));
    other_certs_ = new std::string(MakeTempDir("identity-md-other-"));
    site_ = new std::string(MakeTempDir("identity-md-site-"));
    ASSERT_TRUE(MakeCertificates(*certs_))
        << ReadFile(*certs_ + "/openssl.log");
    ASSERT_TRUE(MakeCertificates(*other_certs_));
    port_ = FreePort();
    https_ = new ChildProcess;
    ASSERT_TRUE(https_->Start({"/usr/bin/python3", METADATA_HTTPS_PATH, *site_,
                               *certs_ + "/server.pem", *certs_ + "/server.key",
                               std::to_string(port_)},
                              {}, *certs_ + "/metadata-https.log"));
    for (int i = 0; i < 100 && !PortAccepts(port_); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_TRUE(PortAccepts(port_));
  }
  static void TearDownTestSuite() {
    if (https_ != nullptr) https_->Stop(SIGTERM);
    delete https_;
    https_ = nullptr;
    E2eTest::TearDownTestSuite();
  }

  static std::string Url(const std::string& name) {
    return "https://127.0.0.1:" + std::to_string(port_) + "/" + name;
  }
  // The IdP's metadata at Url(name), listing the certificates of `keys`
  // (idp = A, idp-next = B), signed by `signer` when given.
  static void Publish(const TestIdp& idp, const std::string& name,
                      const std::string& keys, const std::string& signer = "") {
    std::vector<std::string> argv = {"/usr/bin/python3",  SAML_IDP_PATH,
                                     "metadata",          idp.dir,
                                     *site_ + "/" + name, keys};
    if (!signer.empty()) argv.push_back(signer);
    ASSERT_EQ(RunCommand(argv, idp.dir + "/metadata.log"), 0)
        << ReadFile(idp.dir + "/metadata.log");
  }
  static v1::ConfigureSamlProviderRequest ByUrl(const std::string& org,
                                                const TestIdp& idp,
                                                const std::string& url) {
    v1::ConfigureSamlProviderRequest req = Config(org, idp);
    req.mutable_saml()->clear_idp_metadata_xml();
    req.mutable_saml()->set_idp_metadata_url(url);
    req.mutable_saml()->set_idp_metadata_ca_pem(ReadFile(*certs_ + "/ca.pem"));
    return req;
  }
  static grpc::Status Configure(const v1::ConfigureSamlProviderRequest& req,
                                v1::IdentityProvider* out = nullptr) {
    v1::IdentityProvider ignored;
    return orgs_->ConfigureSamlProvider(Ctx(AdminToken()).get(), req,
                                        out ? out : &ignored);
  }
  static v1::IdentityProvider Get(const std::string& org) {
    v1::GetIdentityProviderRequest req;
    req.set_organization_id(org);
    v1::IdentityProvider out;
    EXPECT_TRUE(
        orgs_->GetIdentityProvider(Ctx(AdminToken()).get(), req, &out).ok());
    return out;
  }
  // A login answered by the IdP with key A ("") or B ("next-key").
  static bool LogsIn(const std::string& org, const TestIdp& idp,
                     const std::string& key_mode) {
    const std::string who = Unique("md");
    return Complete(IdpAnswer(org, idp, who,
                              {"user.email=" + who + "@md.example.com"},
                              key_mode))
        .ok();
  }
  static bool Eventually(const std::function<bool()>& condition) {
    for (absl::Time end = absl::Now() + absl::Seconds(20); absl::Now() < end;) {
      if (condition()) return true;
      absl::SleepFor(absl::Milliseconds(300));
    }
    return false;
  }

  static std::string* certs_;
  static std::string* other_certs_;
  static std::string* site_;
  static int port_;
  static ChildProcess* https_;
};

std::string* SamlMetadataUrlE2eTest::certs_ = nullptr;
std::string* SamlMetadataUrlE2eTest::other_certs_ = nullptr;
std::string* SamlMetadataUrlE2eTest::site_ = nullptr;
int SamlMetadataUrlE2eTest::port_ = 0;
ChildProcess* SamlMetadataUrlE2eTest::https_ = nullptr;

TEST_F(SamlMetadataUrlE2eTest, ConfigureByUrlFetchesTheMetadataAndLogsIn) {
  TestIdp idp = MakeIdp("md-basic");
  Publish(idp, "basic.xml", "idp");
  v1::Organization org = CreateOrg();
  v1::IdentityProvider out;
  grpc::Status s = Configure(ByUrl(org.id(), idp, Url("basic.xml")), &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.saml().idp_entity_id(), idp.entity_id);
  EXPECT_EQ(out.saml().idp_metadata_url(), Url("basic.xml"));
  EXPECT_TRUE(out.saml().has_idp_metadata_fetched_at());
  EXPECT_TRUE(absl::StrContains(out.saml().idp_metadata_xml(), idp.entity_id));
  EXPECT_EQ(Get(org.id()).saml().idp_metadata_url(), Url("basic.xml"));
  EXPECT_TRUE(LogsIn(org.name(), idp, "")) << LastRefusal();
  // An HTTPS redirect on the same terms is followed.
  ASSERT_TRUE(Configure(ByUrl(org.id(), idp, Url("redirect/basic.xml"))).ok());
}

// A -> A+B -> B: the IdP publishes its next key beside the current one,
// then drops the old one; no administrator touches the provider.
TEST_F(SamlMetadataUrlE2eTest,
       SigningKeyRolloverIsFollowedWithoutAnAdministrator) {
  TestIdp idp = MakeIdp("md-rollover");
  Publish(idp, "rollover.xml", "idp");
  v1::Organization org = CreateOrg();
  ASSERT_TRUE(Configure(ByUrl(org.id(), idp, Url("rollover.xml"))).ok());
  EXPECT_TRUE(LogsIn(org.name(), idp, ""));
  EXPECT_FALSE(LogsIn(org.name(), idp, "next-key"));

  Publish(idp, "rollover.xml", "idp,idp-next");
  EXPECT_TRUE(Eventually([&] { return LogsIn(org.name(), idp, "next-key"); }))
      << "B was not trusted after the IdP published it";
  EXPECT_TRUE(LogsIn(org.name(), idp, "")) << "A must stay trusted meanwhile";

  Publish(idp, "rollover.xml", "idp-next");
  EXPECT_TRUE(Eventually([&] { return !LogsIn(org.name(), idp, ""); }))
      << "A stayed trusted after the IdP dropped it";
  EXPECT_TRUE(LogsIn(org.name(), idp, "next-key"));
  EXPECT_EQ(Sql("SELECT count(*) FROM audit_events WHERE action = "
                "'identity_provider.saml_certificates_changed' AND "
                "organization_id = '" +
                org.id() + "'"),
            "2");
}

TEST_F(SamlMetadataUrlE2eTest, UrlThatIsNotHttpsIsRefused) {
  TestIdp idp = MakeIdp("md-http");
  v1::Organization org = CreateOrg();
  for (const std::string& url :
       {"http://127.0.0.1:" + std::to_string(port_) + "/x.xml",
        std::string("file:///etc/passwd"), std::string("ftp://127.0.0.1/x"),
        std::string("https://user:secret@127.0.0.1/x")}) {
    grpc::Status s = Configure(ByUrl(org.id(), idp, url));
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << url;
    EXPECT_TRUE(absl::StrContains(s.error_message(), "saml.idp_metadata_url"))
        << s.error_message();
  }
  grpc::Status s = Configure(
      ByUrl(org.id(), idp, "http://127.0.0.1:" + std::to_string(port_) + "/x"));
  EXPECT_TRUE(absl::StrContains(s.error_message(), "https://"))
      << s.error_message();
}

TEST_F(SamlMetadataUrlE2eTest, UnreachableUrlIsRefusedAndNothingIsStored) {
  TestIdp idp = MakeIdp("md-down");
  v1::Organization org = CreateOrg();
  const std::string url =
      "https://127.0.0.1:" + std::to_string(FreePort()) + "/metadata.xml";
  grpc::Status s = Configure(ByUrl(org.id(), idp, url));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_TRUE(absl::StrContains(s.error_message(), "idp_metadata_url"));
  EXPECT_EQ(Sql("SELECT count(*) FROM identity_provider_settings WHERE type = "
                "'saml' AND organization_id = '" +
                org.id() + "'"),
            "0");
  // A missing document (404) is refused too.
  s = Configure(ByUrl(org.id(), idp, Url("missing.xml")));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "HTTP 404"))
      << s.error_message();
}

TEST_F(SamlMetadataUrlE2eTest, ServerCertificateFromAnotherCaIsRefused) {
  TestIdp idp = MakeIdp("md-wrong-ca");
  Publish(idp, "wrong-ca.xml", "idp");
  v1::Organization org = CreateOrg();
  v1::ConfigureSamlProviderRequest req =
      ByUrl(org.id(), idp, Url("wrong-ca.xml"));
  req.mutable_saml()->set_idp_metadata_ca_pem(
      ReadFile(*other_certs_ + "/ca.pem"));
  grpc::Status s = Configure(req);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "TLS")) << s.error_message();
  EXPECT_TRUE(absl::StrContains(s.error_message(), "idp_metadata_ca_pem"));
  // Without a CA bundle the system store does not know the test CA either.
  req.mutable_saml()->clear_idp_metadata_ca_pem();
  EXPECT_EQ(Configure(req).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Sql("SELECT count(*) FROM identity_provider_settings WHERE type = "
                "'saml' AND organization_id = '" +
                org.id() + "'"),
            "0");
}

TEST_F(SamlMetadataUrlE2eTest, OversizedDocumentIsRefused) {
  TestIdp idp = MakeIdp("md-big");
  Publish(idp, "big.xml", "idp");
  std::string xml = ReadFile(*site_ + "/big.xml");
  xml += "<!--" + std::string(2 << 20, 'x') + "-->";
  std::ofstream(*site_ + "/big.xml") << xml;
  v1::Organization org = CreateOrg();
  grpc::Status s = Configure(ByUrl(org.id(), idp, Url("big.xml")));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "larger than"))
      << s.error_message();
  EXPECT_FALSE(absl::StrContains(s.error_message(), "xxxx"));
}

TEST_F(SamlMetadataUrlE2eTest, RedirectToPlainHttpIsRefused) {
  TestIdp idp = MakeIdp("md-redirect");
  Publish(idp, "redirect.xml", "idp");
  v1::Organization org = CreateOrg();
  grpc::Status s =
      Configure(ByUrl(org.id(), idp, Url("redirect-http/redirect.xml")));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "not https://"))
      << s.error_message();
}

TEST_F(SamlMetadataUrlE2eTest, FailedRefreshKeepsTheLastGoodMetadataAndWarns) {
  TestIdp idp = MakeIdp("md-refresh-fails");
  Publish(idp, "fails.xml", "idp");
  v1::Organization org = CreateOrg();
  ASSERT_TRUE(Configure(ByUrl(org.id(), idp, Url("fails.xml"))).ok());
  const std::string good = Get(org.id()).saml().idp_metadata_xml();
  std::ofstream(*site_ + "/fails.xml") << "<html>maintenance</html>";
  v1::IdentityProvider seen;
  EXPECT_TRUE(Eventually([&] {
    seen = Get(org.id());
    return !seen.saml().idp_metadata_failure().empty();
  }));
  EXPECT_TRUE(seen.saml().has_idp_metadata_failed_at());
  EXPECT_TRUE(seen.saml().has_idp_metadata_fetched_at());
  EXPECT_TRUE(
      absl::StrContains(seen.saml().idp_metadata_failure(), "not usable"))
      << seen.saml().idp_metadata_failure();
  EXPECT_FALSE(
      absl::StrContains(seen.saml().idp_metadata_failure(), "maintenance"));
  const std::string warnings = absl::StrJoin(seen.saml().warnings(), "\n");
  EXPECT_TRUE(absl::StrContains(warnings, "IdP metadata refresh failed at"))
      << warnings;
  EXPECT_EQ(seen.saml().idp_metadata_xml(), good);
  EXPECT_TRUE(LogsIn(org.name(), idp, "")) << LastRefusal();
  // Unreachable later: still the last good document.
  std::remove((*site_ + "/fails.xml").c_str());
  EXPECT_TRUE(Eventually([&] {
    return absl::StrContains(Get(org.id()).saml().idp_metadata_failure(),
                             "HTTP 404");
  }));
  EXPECT_TRUE(LogsIn(org.name(), idp, ""));
  // Back: the warning goes.
  Publish(idp, "fails.xml", "idp");
  EXPECT_TRUE(Eventually(
      [&] { return Get(org.id()).saml().idp_metadata_failure().empty(); }));
  // (The test IdP's two-day certificates keep their expiry warning.)
  EXPECT_FALSE(absl::StrContains(
      absl::StrJoin(Get(org.id()).saml().warnings(), "\n"), "refresh failed"));
}

TEST_F(SamlMetadataUrlE2eTest, MetadataSignedByTheWrongKeyIsRefused) {
  TestIdp idp = MakeIdp("md-signed");
  Publish(idp, "signed.xml", "idp", "md-signer");
  v1::Organization org = CreateOrg();
  v1::ConfigureSamlProviderRequest req =
      ByUrl(org.id(), idp, Url("signed.xml"));
  req.mutable_saml()->set_idp_metadata_signing_certificate_pem(
      ReadFile(idp.dir + "/md-signer.pem"));
  grpc::Status s = Configure(req);
  ASSERT_TRUE(s.ok()) << s.error_message();

  Publish(idp, "rogue.xml", "idp", "idp-rogue");
  req.mutable_saml()->set_idp_metadata_url(Url("rogue.xml"));
  s = Configure(req);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "does not verify"))
      << s.error_message();

  // Unsigned while a certificate is configured: refused, as a stripped
  // signature must not pass.
  Publish(idp, "unsigned.xml", "idp");
  req.mutable_saml()->set_idp_metadata_url(Url("unsigned.xml"));
  s = Configure(req);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "not signed"))
      << s.error_message();
  EXPECT_EQ(Get(org.id()).saml().idp_metadata_url(), Url("signed.xml"));

  // A refresh that brings key B in a document signed by another key is
  // refused too: B stays untrusted, A keeps working.
  Publish(idp, "signed.xml", "idp,idp-next", "idp-rogue");
  EXPECT_TRUE(Eventually([&] {
    return absl::StrContains(Get(org.id()).saml().idp_metadata_failure(),
                             "does not verify");
  }));
  EXPECT_FALSE(LogsIn(org.name(), idp, "next-key"));
  EXPECT_TRUE(LogsIn(org.name(), idp, ""));
}

}  // namespace
}  // namespace identity::testing
