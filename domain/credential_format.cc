#include "domain/credential_format.h"

#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "common/crypto.h"

namespace identity {

bool IsSessionTokenFormat(absl::string_view token) {
  if (!absl::StartsWith(token, kTokenPrefix) || token.size() != 4 + 43) {
    return false;
  }
  std::optional<std::string> raw =
      crypto::Base64UrlDecode(token.substr(kTokenPrefix.size()));
  return raw.has_value() && raw->size() == kTokenBytes;
}

bool IsApiKeyFormat(absl::string_view key) {
  const size_t secret_at = kKeyPrefix.size() + kKeyPublicChars + 1;
  if (key.size() != secret_at + 43 || !absl::StartsWith(key, kKeyPrefix) ||
      key[secret_at - 1] != '_') {
    return false;
  }
  std::optional<std::string> secret =
      crypto::Base64UrlDecode(key.substr(secret_at));
  return secret.has_value() && secret->size() == kKeySecretBytes;
}

}  // namespace identity
