// Encrypted assertions end to end: the test IdP encrypts the Assertion (AES
// content encryption, the key wrapped with RSA-OAEP) for the encryption
// certificate the SP metadata publishes, as Entra ID, AD FS and Okta do
// when encryption is on; the service decrypts it with its key and checks it
// like a plain one.
#include "absl/strings/match.h"
#include "tests/e2e/providers/saml/saml_fixture.h"

namespace identity::testing {
namespace {

using SamlEncryptionE2eTest = SamlE2eTest;

TEST_F(SamlEncryptionE2eTest, SpMetadataPublishesAnEncryptionKey) {
  TestIdp idp = MakeIdp("enc-metadata");
  v1::Organization org = SamlOrg(idp);
  v1::GetSamlMetadataRequest req;
  req.set_organization(org.name());
  v1::GetSamlMetadataResponse metadata;
  ASSERT_TRUE(auth_->GetSamlMetadata(Ctx().get(), req, &metadata).ok());
  EXPECT_TRUE(absl::StrContains(metadata.metadata_xml(),
                                "<md:KeyDescriptor use=\"encryption\">"))
      << metadata.metadata_xml();
}

TEST_F(SamlEncryptionE2eTest, EncryptedAssertionLogsInForEverySigningShape) {
  TestIdp idp = MakeIdp("encrypted");
  v1::Organization org = SamlOrg(idp);
  for (std::string method :
       {"aes128-cbc", "aes256-cbc", "aes128-gcm", "aes256-gcm"}) {
    for (std::string sign : {"assertion", "response", "both"}) {
      const std::string who = method + "-" + sign;
      v1::AuthenticateResponse login;
      grpc::Status s = Complete(
          IdpAnswer(
              org.name(), idp, who,
              {"user.email=" + who + "@enc.example.com", "user.groups=admins"},
              "", {"IDP_SIGN=" + sign, "IDP_ENCRYPT=" + method}),
          &login);
      ASSERT_TRUE(s.ok()) << who << ": " << s.error_message() << " / "
                          << LastRefusal();
      EXPECT_EQ(login.user().username(), who + "@enc.example.com") << who;
      EXPECT_EQ(login.user().primary_role(), "ADMIN") << who;
    }
  }
}

// Values come from the decrypted Assertion read whole, as from a plain one.
TEST_F(SamlEncryptionE2eTest,
       ACommentInsideAnEncryptedGroupValueDoesNotSplitIt) {
  TestIdp idp = MakeIdp("enc-values");
  v1::ConfigureSamlProviderRequest req = Config(CreateOrg().id(), idp);
  v1::GroupRoleMapping* admins = req.mutable_saml()->add_group_role_mappings();
  admins->set_group("platform-admins");
  admins->set_primary_role("ADMIN");
  v1::IdentityProvider out;
  ASSERT_TRUE(
      orgs_->ConfigureSamlProvider(Ctx(AdminToken()).get(), req, &out).ok());
  v1::AuthenticateResponse login;
  grpc::Status s =
      Complete(IdpAnswer(req.organization_id(), idp, "val",
                         {"user.email=val@enc.example.com",
                          "user.groups=platform-admins{c}-readonly"},
                         "", {"IDP_ENCRYPT=aes256-gcm"}),
               &login);
  ASSERT_TRUE(s.ok()) << s.error_message() << " / " << LastRefusal();
  EXPECT_NE(login.user().primary_role(), "ADMIN");
}

TEST_F(SamlEncryptionE2eTest, PlainAssertionIsRefusedWhenEncryptionIsRequired) {
  TestIdp idp = MakeIdp("enc-required");
  v1::Organization org = CreateOrg();
  v1::ConfigureSamlProviderRequest req = Config(org.id(), idp);
  req.mutable_saml()->set_require_encrypted_assertions(true);
  v1::IdentityProvider out;
  ASSERT_TRUE(
      orgs_->ConfigureSamlProvider(Ctx(AdminToken()).get(), req, &out).ok());
  EXPECT_TRUE(out.saml().require_encrypted_assertions());
  const std::vector<std::string> attrs = {"user.email=req@enc.example.com"};
  for (std::string sign : {"assertion", "response", "both"}) {
    grpc::Status s = Complete(
        IdpAnswer(org.name(), idp, "req", attrs, "", {"IDP_SIGN=" + sign}));
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << sign;
    EXPECT_TRUE(
        absl::StrContains(LastRefusal(), "require_encrypted_assertions"))
        << sign << ": " << LastRefusal();
  }
  grpc::Status s = Complete(
      IdpAnswer(org.name(), idp, "req", attrs, "", {"IDP_ENCRYPT=aes128-gcm"}));
  EXPECT_TRUE(s.ok()) << s.error_message() << " / " << LastRefusal();
}

TEST_F(SamlEncryptionE2eTest, AssertionEncryptedForAnotherKeyIsRefused) {
  TestIdp idp = MakeIdp("enc-rogue");
  v1::Organization org = SamlOrg(idp);
  for (std::string sign : {"assertion", "response"}) {
    grpc::Status s = Complete(IdpAnswer(
        org.name(), idp, "rogue", {"user.email=rogue@enc.example.com"}, "",
        {"IDP_SIGN=" + sign, "IDP_ENCRYPT=aes256-cbc",
         "IDP_ENCRYPT_TO=rogue"}));
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << sign;
    EXPECT_EQ(s.error_message(), "saml login refused") << sign;
    EXPECT_TRUE(absl::StrContains(LastRefusal(),
                                  "cannot be decrypted with the SP's key"))
        << sign << ": " << LastRefusal();
  }
  EXPECT_EQ(Sql("SELECT count(*) FROM users WHERE organization_id = '" +
                org.id() + "'"),
            "0");
}

// Encryption does not stand in for a signature: an encrypted assertion
// nobody signed is refused.
TEST_F(SamlEncryptionE2eTest, UnsignedEncryptedAssertionIsRefused) {
  TestIdp idp = MakeIdp("enc-unsigned");
  v1::Organization org = SamlOrg(idp);
  grpc::Status s = Complete(
      IdpAnswer(org.name(), idp, "uns", {"user.email=uns@enc.example.com"}, "",
                {"IDP_SIGN=none", "IDP_ENCRYPT=aes256-gcm"}));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(absl::StrContains(LastRefusal(), "no signature"))
      << LastRefusal();
}

}  // namespace
}  // namespace identity::testing
