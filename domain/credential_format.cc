#include "domain/credential_format.h"

#include <array>
#include <cstdint>

#include "absl/strings/match.h"

namespace identity {
namespace {

// The value of each byte as a base64url character, or -1: a table, as
// every validation reads 43 of them.
constexpr std::array<int8_t, 256> kBase64UrlValue = [] {
  std::array<int8_t, 256> value{};
  for (int c = 0; c < 256; ++c) value[c] = -1;
  for (int i = 0; i < 26; ++i) {
    value['A' + i] = static_cast<int8_t>(i);
    value['a' + i] = static_cast<int8_t>(26 + i);
  }
  for (int i = 0; i < 10; ++i) value['0' + i] = static_cast<int8_t>(52 + i);
  value['-'] = 62;
  value['_'] = 63;
  return value;
}();

int Base64UrlValue(char c) { return kBase64UrlValue[static_cast<uint8_t>(c)]; }

// Whether `text` is 32 bytes in unpadded base64url, as the decoder would
// accept it: 43 characters of the alphabet, the last one carrying 4 bits and
// two zero bits. Checked character by character rather than by decoding,
// because every validation asks it and a decode allocates.
bool Is32BytesBase64Url(absl::string_view text) {
  if (text.size() != 43) return false;
  int all = 0;  // any -1 sets the sign bit
  for (char c : text) all |= Base64UrlValue(c);
  return all >= 0 && (Base64UrlValue(text.back()) & 0x3) == 0;
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
