// The shapes of the bearer credentials this service issues, checked before
// any lookup: a session token is "idt_" and 32 random bytes in base64url; an
// API key is "idk_", an 8-character public prefix, "_" and 32 random bytes.
#ifndef IDENTITY_DOMAIN_CREDENTIAL_FORMAT_H_
#define IDENTITY_DOMAIN_CREDENTIAL_FORMAT_H_

#include <cstddef>

#include "absl/strings/string_view.h"

namespace identity {

inline constexpr absl::string_view kTokenPrefix = "idt_";
inline constexpr size_t kTokenBytes = 32;
inline constexpr absl::string_view kKeyPrefix = "idk_";
inline constexpr size_t kKeyPublicChars = 8;  // 6 random bytes in base64url
inline constexpr size_t kKeySecretBytes = 32;

bool IsSessionTokenFormat(absl::string_view token);
bool IsApiKeyFormat(absl::string_view key);

}  // namespace identity

#endif  // IDENTITY_DOMAIN_CREDENTIAL_FORMAT_H_
