// SAML SP settings for unit tests and fuzzers: https://sp.example.com with a
// fresh key pair, trusting https://idp.example.com through `idp_metadata`.
#ifndef IDENTITY_TESTS_SUPPORT_SAML_SP_SETTINGS_H_
#define IDENTITY_TESTS_SUPPORT_SAML_SP_SETTINGS_H_

#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "providers/saml/saml_keys.h"
#include "providers/saml/saml_sp.h"

namespace identity::testing {

inline saml::SpSettings TestSpSettings(const std::string& idp_metadata) {
  auto sp = saml::GenerateSigningKey("sp.example.com", absl::Hours(48));
  if (!sp.ok()) std::abort();
  saml::SpSettings s;
  s.sp_entity_id = "https://sp.example.com";
  s.acs_url = "https://sp.example.com/acs";
  s.name_id_format = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";
  s.sp_private_key_pem = sp->private_key_pem;
  s.sp_certificate_pem = sp->certificate_pem;
  s.idp_entity_id = "https://idp.example.com";
  s.idp_metadata_xml = idp_metadata;
  return s;
}

// A signing KeyDescriptor for a fresh IdP certificate, `padding` in a
// comment inside it.
inline std::string TestIdpKeyDescriptor(const std::string& padding = "") {
  auto idp = saml::GenerateSigningKey("idp.example.com", absl::Hours(48));
  if (!idp.ok()) std::abort();
  return absl::StrCat(
      "<md:KeyDescriptor use=\"signing\"><!-- ", padding,
      " --><ds:KeyInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">"
      "<ds:X509Data><ds:X509Certificate>",
      absl::StrReplaceAll(idp->certificate_pem,
                          {{"-----BEGIN CERTIFICATE-----", ""},
                           {"-----END CERTIFICATE-----", ""},
                           {"\n", ""}}),
      "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>");
}

// IdP metadata for https://idp.example.com with these KeyDescriptors and an
// HTTP-Redirect SSO endpoint.
inline std::string TestIdpMetadata(const std::string& key_descriptors) {
  return absl::StrCat(
      "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" "
      "entityID=\"https://idp.example.com\"><md:IDPSSODescriptor "
      "protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">",
      key_descriptors,
      "<md:SingleSignOnService "
      "Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" "
      "Location=\"https://idp.example.com/sso\"/></md:IDPSSODescriptor>"
      "</md:EntityDescriptor>");
}

}  // namespace identity::testing

#endif  // IDENTITY_TESTS_SUPPORT_SAML_SP_SETTINGS_H_
