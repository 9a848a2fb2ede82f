// IdP metadata as Okta and Azure AD publish it, and the SP metadata.
#include "gtest/gtest.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "providers/saml/saml_keys.h"
#include "providers/saml/saml_providers.h"
#include "providers/saml/saml_sp.h"

namespace identity::saml {
namespace {

std::string Body(const std::string& pem) {
  return absl::StrReplaceAll(pem, {{"-----BEGIN CERTIFICATE-----", ""},
                                   {"-----END CERTIFICATE-----", ""}});
}

std::string Cert() {
  auto pair = GenerateSigningKey("idp.example.com", absl::Hours(48));
  EXPECT_TRUE(pair.ok());
  return pair->certificate_pem;
}

// Okta: md: prefix, one signing key, Redirect and POST SSO endpoints.
std::string OktaLike(const std::string& cert) {
  return absl::StrCat(
      R"(<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="http://www.okta.com/exk1abcd"><md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>)",
      Body(cert),
      R"(</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat><md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://acme.okta.com/app/acme_identity_1/exk1abcd/sso/saml"/><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://acme.okta.com/app/acme_identity_1/exk1abcd/sso/saml"/></md:IDPSSODescriptor></md:EntityDescriptor>)");
}

// Azure AD: default namespace, a WS-Federation RoleDescriptor with keys of
// its own, two signing certificates during a rollover (no `use`).
std::string AzureLike(const std::string& cert1, const std::string& cert2) {
  return absl::StrCat(
      R"(<?xml version="1.0" encoding="utf-8"?><EntityDescriptor ID="_5c1e" entityID="https://sts.windows.net/7f0c-tenant/" xmlns="urn:oasis:names:tc:SAML:2.0:metadata"><RoleDescriptor xsi:type="fed:SecurityTokenServiceType" protocolSupportEnumeration="http://docs.oasis-open.org/wsfed/federation/200706" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:fed="http://docs.oasis-open.org/wsfed/federation/200706"><KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>)",
      Body(cert1),
      R"(</X509Certificate></X509Data></KeyInfo></KeyDescriptor></RoleDescriptor><IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>)",
      Body(cert1),
      R"(</X509Certificate></X509Data></KeyInfo></KeyDescriptor><KeyDescriptor><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>)",
      Body(cert2),
      R"(</X509Certificate></X509Data></KeyInfo></KeyDescriptor><SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.microsoftonline.com/7f0c-tenant/saml2"/><SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.microsoftonline.com/7f0c-tenant/saml2"/><SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://login.microsoftonline.com/7f0c-tenant/saml2"/></IDPSSODescriptor></EntityDescriptor>)");
}

TEST(SamlMetadataTest, OktaShapedMetadataIsRead) {
  auto idp = ReadIdpMetadata(OktaLike(Cert()));
  ASSERT_TRUE(idp.ok()) << idp.status();
  EXPECT_EQ(idp->entity_id, "http://www.okta.com/exk1abcd");
  EXPECT_EQ(idp->sso_url, "https://acme.okta.com/app/acme_identity_1/exk1abcd/sso/saml");
  EXPECT_EQ(idp->signing_certificates_pem.size(), 1u);
  EXPECT_TRUE(CertificateNotAfter(idp->signing_certificates_pem[0]).ok());
}

TEST(SamlMetadataTest, AzureShapedMetadataGivesBothSigningCertificates) {
  auto idp = ReadIdpMetadata(AzureLike(Cert(), Cert()));
  ASSERT_TRUE(idp.ok()) << idp.status();
  EXPECT_EQ(idp->entity_id, "https://sts.windows.net/7f0c-tenant/");
  EXPECT_EQ(idp->signing_certificates_pem.size(), 2u)
      << "the IDPSSODescriptor's two keys, not the WS-Fed one";
}

TEST(SamlMetadataTest, UnusableMetadataIsNamed) {
  for (const std::string& bad :
       {std::string("not xml"), std::string("<x/>"),
        std::string("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>"),
        absl::StrReplaceAll(OktaLike(Cert()), {{"HTTP-Redirect", "HTTP-Artifact"}})}) {
    auto idp = ReadIdpMetadata(bad);
    EXPECT_EQ(idp.status().code(), absl::StatusCode::kInvalidArgument) << bad.substr(0, 40);
    EXPECT_TRUE(absl::StartsWith(idp.status().message(), "saml.idp_metadata_xml"));
  }
}

TEST(SamlMetadataTest, SpMetadataPublishesTheNextCertificateBesideTheCurrent) {
  SpSettings sp;
  sp.sp_entity_id = "https://identity.example.com/saml/acme";
  sp.acs_url = "https://identity.example.com/saml/acme/acs";
  sp.name_id_format = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";
  sp.sp_certificate_pem = Cert();
  sp.sp_next_certificate_pem = Cert();
  const std::string xml = SpMetadata(sp);
  auto count = [&xml](const std::string& what) {
    size_t n = 0;
    for (size_t at = xml.find(what); at != std::string::npos;
         at = xml.find(what, at + 1))
      ++n;
    return n;
  };
  EXPECT_EQ(count("<md:KeyDescriptor use=\"signing\">"), 2u);
  // Assertions are encrypted for the current certificate only: its key is
  // the one that decrypts.
  EXPECT_EQ(count("<md:KeyDescriptor use=\"encryption\">"), 1u);
  EXPECT_TRUE(absl::StrContains(xml, "Location=\"" + sp.acs_url + "\""));
  EXPECT_TRUE(absl::StrContains(xml, "entityID=\"" + sp.sp_entity_id + "\""));
}

TEST(SamlKeysTest, AGeneratedKeyMatchesItsCertificateAndAForeignOneDoesNot) {
  auto a = GenerateSigningKey("a", absl::Hours(1));
  auto b = GenerateSigningKey("b", absl::Hours(1));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(CheckKeyPair(*a).ok());
  EXPECT_EQ(CheckKeyPair({a->private_key_pem, b->certificate_pem}).code(),
            absl::StatusCode::kInvalidArgument);
  auto end = CertificateNotAfter(a->certificate_pem);
  ASSERT_TRUE(end.ok());
  EXPECT_LT(*end - absl::Now(), absl::Hours(2));
}

TEST(SamlKeysTest, CertificatesExpiringWithin30DaysAreWarnedAbout) {
  auto soon = GenerateSigningKey("sp", absl::Hours(24 * 10));
  ASSERT_TRUE(soon.ok());
  saml::SamlProviderConfig c;
  c.sp_certificate_pem = soon->certificate_pem;
  c.idp_metadata_xml = OktaLike(Cert());  // 48 h left: warned too
  const std::vector<std::string> warnings = CertificateWarnings(c, absl::Now());
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_TRUE(absl::StartsWith(warnings[0], "SP certificate expires on "));
  EXPECT_TRUE(absl::StartsWith(warnings[1], "IdP signing certificate expires on "));
  auto later = GenerateSigningKey("sp", absl::Hours(24 * 90));
  c.sp_certificate_pem = later->certificate_pem;
  EXPECT_EQ(CertificateWarnings(c, absl::Now()).size(), 1u);
}

}  // namespace
}  // namespace identity::saml
