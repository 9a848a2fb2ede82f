#include "common/secret_box.h"

#include <sodium.h>

#include "absl/strings/escaping.h"

namespace identity {
namespace {

absl::Status NotConfigured() {
  return absl::FailedPreconditionError(
      "secret encryption is not configured on this server: set "
      "IDENTITY_SECRET_KEY (32 random bytes, base64)");
}

}  // namespace

absl::StatusOr<SecretBox> SecretBox::FromBase64Key(absl::string_view key_base64) {
  SecretBox box;
  if (key_base64.empty()) return box;
  std::string key;
  if ((!absl::Base64Unescape(key_base64, &key) &&
       !absl::WebSafeBase64Unescape(key_base64, &key)) ||
      key.size() != crypto_secretbox_KEYBYTES) {
    return absl::InvalidArgumentError(
        "must be 32 bytes in base64, e.g. the output of "
        "'head -c 32 /dev/urandom | base64'");
  }
  box.key_ = std::move(key);
  return box;
}

absl::StatusOr<std::string> SecretBox::Seal(absl::string_view plaintext) const {
  if (!configured()) return NotConfigured();
  std::string out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES +
                      plaintext.size(),
                  '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plaintext.data()),
                        plaintext.size(), nonce,
                        reinterpret_cast<const unsigned char*>(key_.data()));
  return out;
}

absl::StatusOr<std::string> SecretBox::Open(absl::string_view sealed) const {
  if (!configured()) return NotConfigured();
  if (sealed.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return absl::InternalError("a stored secret is damaged");
  }
  std::string out(sealed.size() - crypto_secretbox_NONCEBYTES -
                      crypto_secretbox_MACBYTES,
                  '\0');
  const auto* nonce = reinterpret_cast<const unsigned char*>(sealed.data());
  if (crypto_secretbox_open_easy(
          reinterpret_cast<unsigned char*>(out.data()),
          nonce + crypto_secretbox_NONCEBYTES,
          sealed.size() - crypto_secretbox_NONCEBYTES, nonce,
          reinterpret_cast<const unsigned char*>(key_.data())) != 0) {
    return absl::InternalError(
        "a stored secret cannot be decrypted (was IDENTITY_SECRET_KEY changed?)");
  }
  return out;
}

}  // namespace identity
