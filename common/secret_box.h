// Authenticated encryption of secrets at rest (TOTP seeds, later LDAP bind
// passwords) with a key from the environment: libsodium secretbox
// (XSalsa20-Poly1305), a random nonce per message.
#ifndef IDENTITY_COMMON_SECRET_BOX_H_
#define IDENTITY_COMMON_SECRET_BOX_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace identity {

class SecretBox {
 public:
  // `key_base64` is 32 random bytes in base64 (standard or URL-safe); an
  // empty key makes a box that refuses to work (FAILED_PRECONDITION).
  static absl::StatusOr<SecretBox> FromBase64Key(absl::string_view key_base64);

  bool configured() const { return !key_.empty(); }
  absl::StatusOr<std::string> Seal(absl::string_view plaintext) const;
  // INTERNAL when the ciphertext was tampered with or the key changed.
  absl::StatusOr<std::string> Open(absl::string_view sealed) const;

 private:
  std::string key_;
};

}  // namespace identity

#endif  // IDENTITY_COMMON_SECRET_BOX_H_
