// Small wrappers over libsodium for random secrets, digests and encodings.
#ifndef IDENTITY_COMMON_CRYPTO_H_
#define IDENTITY_COMMON_CRYPTO_H_

#include <optional>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"

namespace identity::crypto {

// Must succeed once before any other call; safe to call repeatedly.
absl::Status Init();

std::string RandomBytes(size_t n);
// Uniform in [0, upper_bound).
uint32_t RandomUniform(uint32_t upper_bound);

// Raw 32-byte SHA-256 digest.
std::string Sha256(absl::string_view data);

// URL-safe base64 without padding (RFC 4648 section 5).
std::string Base64UrlEncode(absl::string_view data);
std::optional<std::string> Base64UrlDecode(absl::string_view text);

// Timing does not depend on where the inputs differ (only on their lengths).
bool ConstantTimeEquals(absl::string_view a, absl::string_view b);

}  // namespace identity::crypto

#endif  // IDENTITY_COMMON_CRYPTO_H_
