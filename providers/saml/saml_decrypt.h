// Decryption of a SAML EncryptedAssertion (XML Encryption) with the SP's
// private key, in place: the EncryptedData element is replaced by the
// Assertion it carries, so the Assertion's own signature and values are then
// checked like those of a plain one.
#ifndef IDENTITY_PROVIDERS_SAML_SAML_DECRYPT_H_
#define IDENTITY_PROVIDERS_SAML_SAML_DECRYPT_H_

#include <string>

#include "absl/status/status.h"
#include "providers/saml/lasso_headers.h"

namespace identity::saml {

// Accepted: AES-CBC or AES-GCM content encryption (128, 192, 256 bits) with
// the content key wrapped by RSA-OAEP (rsa-oaep-mgf1p) inside the
// EncryptedData's KeyInfo, the ciphertext inline (no CipherReference).
// UNAUTHENTICATED with the reason for anything else, and one reason for
// every failure of the decryption itself (no padding oracle in the audit
// log beyond "cannot be decrypted").
absl::Status DecryptAssertion(xmlNode* encrypted_assertion,
                              const std::string& private_key_pem);

}  // namespace identity::saml

#endif  // IDENTITY_PROVIDERS_SAML_SAML_DECRYPT_H_
