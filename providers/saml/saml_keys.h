// The service provider's signing key and certificate: generated when an
// administrator gives none, checked when one is given, and read for its
// expiry (rollover warnings).
#ifndef IDENTITY_PROVIDERS_SAML_SAML_KEYS_H_
#define IDENTITY_PROVIDERS_SAML_SAML_KEYS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace identity::saml {

struct KeyPair {
  std::string private_key_pem;
  std::string certificate_pem;
};

// An RSA-2048 key and a self-signed certificate for `common_name`.
absl::StatusOr<KeyPair> GenerateSigningKey(const std::string& common_name,
                                           absl::Duration validity);
// INVALID_ARGUMENT (naming `field`) unless the PEMs parse and the key is the
// certificate's.
absl::Status CheckKeyPair(const KeyPair& pair);
// When the PEM certificate stops being valid.
absl::StatusOr<absl::Time> CertificateNotAfter(const std::string& pem);

}  // namespace identity::saml

#endif  // IDENTITY_PROVIDERS_SAML_SAML_KEYS_H_
