// What a hostile IdP, browser or administrator can hand the SAML code:
// deep nesting and oversized elements are refused with a reason, never a
// crash.
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "providers/saml/saml_sp.h"
#include "tests/support/saml_sp_settings.h"

namespace identity::saml {
namespace {

std::string Nested(int depth, const std::string& inner) {
  std::string xml;
  for (int i = 0; i < depth; ++i) xml += "<saml:Attribute>";
  xml += inner;
  for (int i = 0; i < depth; ++i) xml += "</saml:Attribute>";
  return xml;
}

std::string Response(const std::string& assertion_body) {
  return absl::StrCat(
      R"(<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" IssueInstant="2026-01-01T00:00:00Z"><saml:Issuer>https://idp.example.com</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion ID="_a1" Version="2.0" IssueInstant="2026-01-01T00:00:00Z"><saml:Issuer>https://idp.example.com</saml:Issuer>)",
      assertion_body, "</saml:Assertion></samlp:Response>");
}

using ::identity::testing::TestIdpKeyDescriptor;
using ::identity::testing::TestIdpMetadata;
using ::identity::testing::TestSpSettings;

TEST(SamlHostileInputTest, ADeeplyNestedResponseIsRefusedAsMalformed) {
  const SpSettings sp = TestSpSettings(TestIdpMetadata(TestIdpKeyDescriptor()));
  for (int depth : {300, 20000}) {  // 20000 levels stay under the 1 MiB limit
    auto read = ReadResponse(sp, absl::Base64Escape(Response(Nested(depth, "x"))));
    ASSERT_FALSE(read.ok()) << depth;
    EXPECT_TRUE(absl::IsUnauthenticated(read.status())) << read.status();
    EXPECT_EQ(std::string(read.status().message()),
              "malformed: not well-formed XML: elements nested deeper than 256 levels");
  }
}

TEST(SamlHostileInputTest, DeeplyNestedIdpMetadataIsNamedAsNotWellFormed) {
  auto idp = ReadIdpMetadata(TestIdpMetadata(Nested(100000, TestIdpKeyDescriptor())));
  ASSERT_FALSE(idp.ok());
  EXPECT_EQ(idp.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(idp.status().message()),
            "saml.idp_metadata_xml: not well-formed XML: elements nested "
            "deeper than 256 levels");
}

// Logins try each signing key of the metadata in turn; that used to split
// the metadata with a backtracking regular expression, which overflowed the
// stack on a large KeyDescriptor.
TEST(SamlHostileInputTest, LargeKeyDescriptorsDoNotBreakTheKeyRollover) {
  const std::string padding(1 << 20, 'p');
  const SpSettings sp = TestSpSettings(
      TestIdpMetadata(TestIdpKeyDescriptor(padding) + TestIdpKeyDescriptor(padding)));
  auto read = ReadResponse(sp, absl::Base64Escape(Response(
                                   "<saml:Subject><saml:NameID>alice</saml:NameID>"
                                   "</saml:Subject>")));
  ASSERT_FALSE(read.ok());
  EXPECT_TRUE(absl::IsUnauthenticated(read.status())) << read.status();
}

// Weak or outward-reaching XML Encryption is refused before any decryption
// is tried: RSA PKCS#1 v1.5 key transport (a padding oracle), algorithms
// other than AES-CBC/GCM, and a ciphertext by reference (a URI to fetch).
TEST(SamlHostileInputTest, WeakOrReferencedEncryptionIsRefusedWithItsReason) {
  const SpSettings sp = TestSpSettings(TestIdpMetadata(TestIdpKeyDescriptor()));
  auto encrypted = [](const std::string& content, const std::string& key,
                      const std::string& cipher) {
    return absl::StrCat(
        R"(<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" IssueInstant="2026-01-01T00:00:00Z"><saml:Issuer>https://idp.example.com</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:EncryptedAssertion><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" Type="http://www.w3.org/2001/04/xmlenc#Element"><xenc:EncryptionMethod Algorithm=")",
        content,
        R"("/><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><xenc:EncryptedKey><xenc:EncryptionMethod Algorithm=")",
        key,
        R"("/><xenc:CipherData><xenc:CipherValue>AAAA</xenc:CipherValue></xenc:CipherData></xenc:EncryptedKey></ds:KeyInfo><xenc:CipherData>)",
        cipher,
        "</xenc:CipherData></xenc:EncryptedData></saml:EncryptedAssertion></"
        "samlp:Response>");
  };
  const std::string gcm = "http://www.w3.org/2009/xmlenc11#aes256-gcm";
  const std::string oaep = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p";
  const std::string inline_value = "<xenc:CipherValue>AAAA</xenc:CipherValue>";
  struct Case {
    std::string xml, reason;
  };
  for (const Case& c : {
           Case{encrypted(gcm, "http://www.w3.org/2001/04/xmlenc#rsa-1_5",
                          inline_value),
                "RSA PKCS#1 v1.5"},
           Case{encrypted("http://www.w3.org/2001/04/xmlenc#tripledes-cbc",
                          oaep, inline_value),
                "tripledes-cbc, which is not accepted"},
           Case{encrypted(
                    gcm, oaep,
                    R"(<xenc:CipherReference URI="http://198.51.100.1/x"/>)"),
                "ciphertext inline"},
           Case{encrypted(gcm, oaep, inline_value), "cannot be decrypted"},
       }) {
    auto read = ReadResponse(sp, absl::Base64Escape(c.xml));
    ASSERT_FALSE(read.ok()) << c.reason;
    EXPECT_TRUE(absl::IsUnauthenticated(read.status())) << read.status();
    EXPECT_TRUE(absl::StrContains(read.status().message(), c.reason))
        << read.status();
  }
}

}  // namespace
}  // namespace identity::saml
