// A posted SAML Response read with libxml2, beside lasso: its shape is
// checked (one Assertion, a direct child of the Response or of its one
// EncryptedAssertion, decrypted in place with the SP's key; IDs unique;
// signatures only on the Response or the Assertion, each referencing its
// own element), each signature present is verified against the IdP's keys,
// and the values are read from the one Assertion the verified signatures
// cover, whole: a comment, CDATA section or processing instruction inside a
// value never splits it.
#ifndef IDENTITY_PROVIDERS_SAML_SAML_RESPONSE_DOC_H_
#define IDENTITY_PROVIDERS_SAML_SAML_RESPONSE_DOC_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "providers/saml/saml_sp.h"
#include "providers/saml/saml_xml.h"

namespace identity::saml {

class ResponseDocument {
 public:
  // UNAUTHENTICATED with the reason for anything but a Response with a
  // success status, one Assertion (or one EncryptedAssertion) and at least
  // one signature placed and referenced as SAML requires (for an encrypted
  // assertion, its own signature is checked once decrypted).
  static absl::StatusOr<ResponseDocument> Read(const std::string& xml);

  // OK when every signature present and not yet verified verifies with one
  // of `certificates_pem` (an RSA-SHA1 signature or SHA-1 digest only when
  // `allow_sha1`), so that the Assertion is covered either by its own
  // signature or by the Response's. UNAUTHENTICATED with the reason
  // otherwise. For an encrypted assertion: called once before Decrypt (the
  // Response's signature covers the ciphertext) and once after.
  absl::Status VerifySignatures(
      const std::vector<std::string>& certificates_pem, bool allow_sha1);

  // Replaces the EncryptedAssertion's content by the Assertion decrypted
  // with `private_key_pem`, then checks the shape again (IDs, signature
  // placement) over the decrypted Assertion.
  absl::Status Decrypt(const std::string& private_key_pem);

  // The values of the Assertion (and the Response's Destination and
  // InResponseTo). Only meaningful after VerifySignatures succeeded.
  absl::StatusOr<SamlAssertion> Values() const;

  bool response_signed() const { return response_signature_ != nullptr; }
  bool assertion_signed() const { return assertion_signature_ != nullptr; }
  // An EncryptedAssertion not decrypted yet.
  bool encrypted() const {
    return encrypted_assertion_ != nullptr && assertion_ == nullptr;
  }
  bool was_encrypted() const { return encrypted_assertion_ != nullptr; }

 private:
  absl::Status CheckShape();

  XmlDoc doc_;
  xmlNode* response_ = nullptr;
  xmlNode* assertion_ = nullptr;
  xmlNode* response_signature_ = nullptr;
  xmlNode* assertion_signature_ = nullptr;
  xmlNode* encrypted_assertion_ = nullptr;
  bool response_verified_ = false;
  bool assertion_verified_ = false;
};

}  // namespace identity::saml

#endif  // IDENTITY_PROVIDERS_SAML_SAML_RESPONSE_DOC_H_
