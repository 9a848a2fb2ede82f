#include "domain/credential_format.h"

#include "absl/strings/match.h"

namespace identity {
namespace {

// The value of a base64url character, or -1.
int Base64UrlValue(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

// Whether `text` is 32 bytes in unpadded base64url, as the decoder would
// accept it: 43 characters of the alphabet, the last one carrying 4 bits and
// two zero bits. Checked character by character rather than by decoding,
// because every validation asks it and a decode allocates.
bool Is32BytesBase64Url(absl::string_view text) {
  if (text.size() != 43) return false;
  for (char c : text) {
    if (Base64UrlValue(c) < 0) return false;
  }
  return (Base64UrlValue(text.back()) & 0x3) == 0;
}

static_assert(kTokenBytes == 32 && kKeySecretBytes == 32,
              "Is32BytesBase64Url checks 32-byte credentials");

}  // namespace

bool IsSessionTokenFormat(absl::string_view token) {
  return absl::StartsWith(token, kTokenPrefix) &&
         Is32BytesBase64Url(token.substr(kTokenPrefix.size()));
}

bool IsApiKeyFormat(absl::string_view key) {
  const size_t secret_at = kKeyPrefix.size() + kKeyPublicChars + 1;
  if (key.size() != secret_at + 43 || !absl::StartsWith(key, kKeyPrefix) ||
      key[secret_at - 1] != '_') {
    return false;
  }
  return Is32BytesBase64Url(key.substr(secret_at));
}

}  // namespace identity
