#include "common/crypto.h"

#include <sodium.h>

#include <cassert>

namespace identity::crypto {

absl::Status Init() {
  if (sodium_init() < 0) {
    return absl::InternalError("libsodium failed to initialize");
  }
  return absl::OkStatus();
}

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  randombytes_buf(out.data(), n);
  return out;
}

uint32_t RandomUniform(uint32_t upper_bound) {
  return randombytes_uniform(upper_bound);
}

std::string Sha256(absl::string_view data) {
  std::string out(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256(reinterpret_cast<unsigned char*>(out.data()),
                     reinterpret_cast<const unsigned char*>(data.data()),
                     data.size());
  return out;
}

std::array<unsigned char, 16> SipHash128(absl::string_view key,
                                         absl::string_view data) {
  static_assert(crypto_shorthash_siphashx24_BYTES == 16 &&
                crypto_shorthash_siphashx24_KEYBYTES == kSipHashKeyBytes);
  assert(key.size() == kSipHashKeyBytes);
  std::array<unsigned char, 16> out;
  crypto_shorthash_siphashx24(
      out.data(), reinterpret_cast<const unsigned char*>(data.data()),
      data.size(), reinterpret_cast<const unsigned char*>(key.data()));
  return out;
}

std::string Base64UrlEncode(absl::string_view data) {
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(data.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(),
                    reinterpret_cast<const unsigned char*>(data.data()),
                    data.size(), kVariant);
  out.resize(out.size() - 1);  // drop the terminating NUL
  return out;
}

std::optional<std::string> Base64UrlDecode(absl::string_view text) {
  std::string out(text.size(), '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()),
                        out.size(), text.data(), text.size(), nullptr, &len,
                        &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

bool ConstantTimeEquals(absl::string_view a, absl::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace identity::crypto
