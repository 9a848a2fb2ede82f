// Users whose passwords this service stores, as argon2id hashes. Works from
// PostgreSQL alone, so the fallback global admin never depends on a directory.
#ifndef IDENTITY_PROVIDERS_INTERNAL_INTERNAL_PROVIDER_H_
#define IDENTITY_PROVIDERS_INTERNAL_INTERNAL_PROVIDER_H_

#include "application/identity_providers/identity_provider.h"
#include "application/users/password_hasher.h"
#include "storage/store.h"

namespace identity {

class InternalProvider : public PasswordProvider {
 public:

  InternalProvider(storage::Store* store, PasswordHasher* hasher)
      : store_(store), hasher_(hasher) {}

  absl::string_view name() const override { return "internal"; }
  // Needs the known user (internal users are never provisioned at login).
  absl::StatusOr<PasswordVerdict> CheckPassword(
      const PasswordAttempt& attempt) override;

 private:
  storage::Store* store_;
  PasswordHasher* hasher_;
};

}  // namespace identity

#endif  // IDENTITY_PROVIDERS_INTERNAL_INTERNAL_PROVIDER_H_
