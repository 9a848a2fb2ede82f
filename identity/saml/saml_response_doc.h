// A posted SAML Response read with libxml2, beside lasso: its shape is
// checked (one Assertion, a direct child of the Response; IDs unique;
// signatures only on the Response or the Assertion, each referencing its
// own element), each signature present is verified against the IdP's keys,
// and the values are read from the one Assertion the verified signatures
// cover, whole: a comment, CDATA section or processing instruction inside a
// value never splits it.
#ifndef IDENTITY_IDENTITY_SAML_SAML_RESPONSE_DOC_H_
#define IDENTITY_IDENTITY_SAML_SAML_RESPONSE_DOC_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "identity/saml/saml_sp.h"
#include "identity/saml/saml_xml.h"

namespace identity::saml {

class ResponseDocument {
 public:
  // UNAUTHENTICATED with the reason for anything but a Response with a
  // success status, one Assertion and at least one signature placed and
  // referenced as SAML requires.
  static absl::StatusOr<ResponseDocument> Read(const std::string& xml);

  // OK when every signature present verifies with one of `certificates_pem`
  // (an RSA-SHA1 signature or SHA-1 digest only when `allow_sha1`), so that
  // the Assertion is covered either by its own signature or by the
  // Response's. UNAUTHENTICATED with the reason otherwise.
  absl::Status VerifySignatures(
      const std::vector<std::string>& certificates_pem, bool allow_sha1) const;

  // The values of the Assertion (and the Response's Destination and
  // InResponseTo). Only meaningful after VerifySignatures succeeded.
  absl::StatusOr<SamlAssertion> Values() const;

  bool response_signed() const { return response_signature_ != nullptr; }
  bool assertion_signed() const { return assertion_signature_ != nullptr; }

 private:
  XmlDoc doc_;
  xmlNode* response_ = nullptr;
  xmlNode* assertion_ = nullptr;
  xmlNode* response_signature_ = nullptr;
  xmlNode* assertion_signature_ = nullptr;
};

}  // namespace identity::saml

#endif  // IDENTITY_IDENTITY_SAML_SAML_RESPONSE_DOC_H_
