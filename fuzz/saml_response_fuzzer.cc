// SAML responses come from browsers: whatever bytes are posted, reading
// them must refuse with UNAUTHENTICATED (or accept a validly signed one,
// which random bytes never are), never crash or hang.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "identity/saml/saml_keys.h"
#include "identity/saml/saml_sp.h"

namespace {

identity::saml::SpSettings MakeSettings() {
  auto sp = identity::saml::GenerateSigningKey("sp.example.com", absl::Hours(48));
  auto idp = identity::saml::GenerateSigningKey("idp.example.com", absl::Hours(48));
  if (!sp.ok() || !idp.ok()) std::abort();
  std::string body = absl::StrReplaceAll(
      idp->certificate_pem, {{"-----BEGIN CERTIFICATE-----", ""},
                             {"-----END CERTIFICATE-----", ""}, {"\n", ""}});
  identity::saml::SpSettings s;
  s.sp_entity_id = "https://sp.example.com";
  s.acs_url = "https://sp.example.com/acs";
  s.name_id_format = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";
  s.sp_private_key_pem = sp->private_key_pem;
  s.sp_certificate_pem = sp->certificate_pem;
  s.idp_entity_id = "https://idp.example.com";
  s.idp_metadata_xml = absl::StrCat(
      "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" "
      "xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" entityID=\"https://idp.example.com\">"
      "<md:IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">"
      "<md:KeyDescriptor use=\"signing\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>",
      body,
      "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
      "<md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" "
      "Location=\"https://idp.example.com/sso\"/></md:IDPSSODescriptor></md:EntityDescriptor>");
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const identity::saml::SpSettings settings = MakeSettings();
  const std::string xml(reinterpret_cast<const char*>(data), size);
  auto read = identity::saml::ReadResponse(settings, absl::Base64Escape(xml));
  if (read.ok()) std::abort();  // nothing unsigned may pass
  if (!absl::IsUnauthenticated(read.status()) &&
      !absl::IsFailedPrecondition(read.status())) {
    std::abort();
  }
  return 0;
}
