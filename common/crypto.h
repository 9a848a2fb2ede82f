// Small wrappers over libsodium for random secrets, digests and encodings.
#ifndef IDENTITY_COMMON_CRYPTO_H_
#define IDENTITY_COMMON_CRYPTO_H_

#include <array>
#include <cstddef>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace identity::crypto {

// Must succeed once before any other call; safe to call repeatedly.
absl::Status Init();

std::string RandomBytes(size_t n);
// Uniform in [0, upper_bound).
uint32_t RandomUniform(uint32_t upper_bound);

// Raw 32-byte SHA-256 digest.
std::string Sha256(absl::string_view data);

// SipHash-2-4 with a 128-bit output: a pseudorandom function of `data`
// under a secret `key` of kSipHashKeyBytes. Without the key nobody can
// predict or collide its values, and it costs a tenth of SHA-256; for
// keys of in-memory tables, never for anything stored or sent.
inline constexpr size_t kSipHashKeyBytes = 16;
std::array<unsigned char, 16> SipHash128(absl::string_view key,
                                         absl::string_view data);

// URL-safe base64 without padding (RFC 4648 section 5).
std::string Base64UrlEncode(absl::string_view data);
std::optional<std::string> Base64UrlDecode(absl::string_view text);

// Timing does not depend on where the inputs differ (only on their lengths).
bool ConstantTimeEquals(absl::string_view a, absl::string_view b);

}  // namespace identity::crypto

#endif  // IDENTITY_COMMON_CRYPTO_H_
