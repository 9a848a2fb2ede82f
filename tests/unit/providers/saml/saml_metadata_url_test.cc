// The checks of IdP metadata by URL that need no server: which URLs and
// settings a configure accepts, what a configured signing certificate
// demands of a document, and how a refresh counts certificate changes.
#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "providers/saml/saml_keys.h"
#include "providers/saml/saml_metadata.h"

namespace identity::saml {
namespace {

TEST(SamlMetadataUrlTest, OnlyPlainHttpsUrlsAreAccepted) {
  EXPECT_TRUE(CheckMetadataUrl("https://idp.example.com/metadata").ok());
  EXPECT_TRUE(CheckMetadataUrl("HTTPS://idp.example.com:8443/m?appid=1").ok());
  for (const char* url :
       {"http://idp.example.com/metadata", "file:///etc/passwd",
        "ftp://idp.example.com/m", "gopher://x", "https://", "https:///path",
        "https://user:pw@idp.example.com/m", "https://idp.example.com/a b",
        "https://idp.example.com/\n", "//idp.example.com/m", ""}) {
    absl::Status s = CheckMetadataUrl(url);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << url;
    EXPECT_TRUE(absl::StartsWith(s.message(), "saml.idp_metadata_url: ")) << s;
  }
  EXPECT_TRUE(
      absl::StrContains(CheckMetadataUrl("http://x/m").message(), "https://"));
  EXPECT_FALSE(
      CheckMetadataUrl("https://idp.example.com/" + std::string(3000, 'a'))
          .ok());
}

TEST(SamlMetadataUrlTest, CaBundleAndSigningCertificateNeedAUrlAndParse) {
  absl::StatusOr<KeyPair> pair =
      GenerateSigningKey("idp.example.com", absl::Hours(48));
  ASSERT_TRUE(pair.ok());
  saml::SamlProviderConfig c;
  EXPECT_TRUE(absl::StrContains(ValidateMetadataSource(c).message(),
                                "idp_metadata_url"));
  c.idp_metadata_xml = "<md:EntityDescriptor/>";
  c.idp_metadata_ca_pem = pair->certificate_pem;
  EXPECT_TRUE(absl::StrContains(ValidateMetadataSource(c).message(),
                                "only used with idp_metadata_url"));
  c.idp_metadata_url = "https://idp.example.com/m";
  EXPECT_TRUE(ValidateMetadataSource(c).ok());
  c.idp_metadata_ca_pem = "not a certificate";
  EXPECT_EQ(ValidateMetadataSource(c).code(),
            absl::StatusCode::kInvalidArgument);
  c.idp_metadata_ca_pem.clear();
  c.idp_metadata_signing_certificate_pem = "-----BEGIN CERTIFICATE-----\nx\n";
  EXPECT_TRUE(absl::StrContains(ValidateMetadataSource(c).message(),
                                "idp_metadata_signing_certificate_pem"));
}

constexpr char kUnsigned[] =
    R"(<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" ID="_a" entityID="https://idp.example.com"/>)";

TEST(SamlMetadataUrlTest, UnsignedDocumentIsRefusedWhenASignerIsConfigured) {
  absl::StatusOr<KeyPair> pair =
      GenerateSigningKey("idp.example.com", absl::Hours(48));
  ASSERT_TRUE(pair.ok());
  EXPECT_TRUE(CheckMetadataSignature(kUnsigned, "", false).ok());
  absl::Status s =
      CheckMetadataSignature(kUnsigned, pair->certificate_pem, false);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(s.message(), "not signed")) << s;
  // A signature somewhere else than on the root does not count.
  const std::string nested =
      R"(<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" ID="_a" entityID="e"><md:Extensions><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/></md:Extensions></md:EntityDescriptor>)";
  EXPECT_FALSE(
      CheckMetadataSignature(nested, pair->certificate_pem, false).ok());
  EXPECT_FALSE(CheckMetadataSignature("<!DOCTYPE x []><x/>",
                                      pair->certificate_pem, false)
                   .ok());
}

TEST(SamlMetadataUrlTest, CertificateChangesAreCounted) {
  EXPECT_FALSE(CompareCertificates({"A"}, {"A"}).any());
  CertificateChange added = CompareCertificates({"A"}, {"A", "B"});
  EXPECT_EQ(added.added, 1);
  EXPECT_EQ(added.removed, 0);
  CertificateChange swapped = CompareCertificates({"A", "B"}, {"B"});
  EXPECT_EQ(swapped.added, 0);
  EXPECT_EQ(swapped.removed, 1);
}

}  // namespace
}  // namespace identity::saml
