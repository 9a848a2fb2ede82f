// What a hostile IdP, browser or administrator can hand the SAML code:
// deep nesting and oversized elements are refused with a reason, never a
// crash.
#include "gtest/gtest.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "identity/saml/saml_sp.h"
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

}  // namespace
}  // namespace identity::saml
