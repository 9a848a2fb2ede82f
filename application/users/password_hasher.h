// argon2id password hashing (libsodium crypto_pwhash, PHC string form) on a
// bounded worker pool, so a burst of logins cannot starve the RPC threads.
#ifndef IDENTITY_APPLICATION_USERS_PASSWORD_HASHER_H_
#define IDENTITY_APPLICATION_USERS_PASSWORD_HASHER_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/bounded_executor.h"

namespace identity {

struct Argon2Params {
  // OWASP's minimum for argon2id: m=19 MiB, t=2, p=1 (libsodium uses p=1).
  static constexpr uint32_t kMinMemoryKib = 19456;
  static constexpr uint32_t kMinIterations = 2;
  uint32_t memory_kib = kMinMemoryKib;
  uint32_t iterations = kMinIterations;
};

class PasswordHasher {
 public:
  // `executor` must outlive the hasher.
  PasswordHasher(Argon2Params params, BoundedExecutor* executor);

  absl::StatusOr<std::string> Hash(absl::string_view password);

  // OK(true) on a match. A malformed hash counts as no match.
  absl::StatusOr<bool> Verify(absl::string_view hash,
                              absl::string_view password);

  // Verifies against a hash of a random secret, so that an unknown user costs
  // what a known one costs. Always OK(false) unless the pool is full.
  absl::Status VerifyDummy(absl::string_view password);

  // The stored hash was made with weaker parameters than the current ones.
  bool NeedsRehash(absl::string_view hash) const;

 private:
  absl::StatusOr<std::string> HashNow(absl::string_view password) const;

  const Argon2Params params_;
  BoundedExecutor* executor_;
  std::string dummy_hash_;
};

}  // namespace identity

#endif  // IDENTITY_APPLICATION_USERS_PASSWORD_HASHER_H_
