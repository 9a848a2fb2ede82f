#include "application/users/password_hasher.h"

#include <sodium.h>

#include "common/crypto.h"

namespace identity {
namespace {

size_t MemLimit(const Argon2Params& p) {
  return static_cast<size_t>(p.memory_kib) * 1024;
}

}  // namespace

PasswordHasher::PasswordHasher(Argon2Params params, BoundedExecutor* executor)
    : params_(params), executor_(executor) {
  dummy_hash_ =
      HashNow(crypto::Base64UrlEncode(crypto::RandomBytes(24))).value_or("");
}

absl::StatusOr<std::string> PasswordHasher::HashNow(
    absl::string_view password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            params_.iterations, MemLimit(params_),
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return absl::ResourceExhaustedError("out of memory while hashing");
  }
  return std::string(out);
}

absl::StatusOr<std::string> PasswordHasher::Hash(absl::string_view password) {
  std::string copy(password);
  absl::StatusOr<absl::StatusOr<std::string>> r =
      executor_->Run<absl::StatusOr<std::string>>(
          [this, copy] { return HashNow(copy); });
  if (!r.ok()) return r.status();
  return *std::move(r);
}

absl::StatusOr<bool> PasswordHasher::Verify(absl::string_view hash,
                                            absl::string_view password) {
  std::string h(hash);
  std::string p(password);
  return executor_->Run<bool>([h, p] {
    return crypto_pwhash_str_verify(h.c_str(), p.data(), p.size()) == 0;
  });
}

absl::Status PasswordHasher::VerifyDummy(absl::string_view password) {
  return Verify(dummy_hash_, password).status();
}

bool PasswordHasher::NeedsRehash(absl::string_view hash) const {
  std::string h(hash);
  return crypto_pwhash_str_needs_rehash(h.c_str(), params_.iterations,
                                        MemLimit(params_)) != 0;
}

}  // namespace identity
