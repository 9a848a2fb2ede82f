// Users whose passwords this service stores, as argon2id hashes. Works from
// PostgreSQL alone, so the fallback global admin never depends on a directory.
#ifndef IDENTITY_IDENTITY_INTERNAL_INTERNAL_PROVIDER_H_
#define IDENTITY_IDENTITY_INTERNAL_INTERNAL_PROVIDER_H_

#include "identity/identity_provider.h"
#include "identity/provider_registry.h"

namespace identity {

class InternalProvider : public PasswordAuthenticator {
 public:
  static absl::StatusOr<PasswordAuthenticatorPtr> Create(
      const ProviderDeps& deps);

  InternalProvider(storage::Store* store, PasswordHasher* hasher)
      : store_(store), hasher_(hasher) {}

  absl::string_view name() const override { return "internal"; }
  absl::StatusOr<Verdict> Authenticate(const storage::UserCredentials& user,
                                       absl::string_view password) override;

 private:
  storage::Store* store_;
  PasswordHasher* hasher_;
};

}  // namespace identity

#endif  // IDENTITY_IDENTITY_INTERNAL_INTERNAL_PROVIDER_H_
