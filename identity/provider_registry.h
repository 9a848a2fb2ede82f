// Which provider serves the users of each origin.
#ifndef IDENTITY_IDENTITY_PROVIDER_REGISTRY_H_
#define IDENTITY_IDENTITY_PROVIDER_REGISTRY_H_

#include <map>

#include "absl/status/statusor.h"
#include "identity/identity_provider.h"
#include "identity/password_hasher.h"
#include "storage/store.h"

namespace identity {

// What a provider factory may use. Pointers outlive the registry.
struct ProviderDeps {
  storage::Store* store;
  PasswordHasher* hasher;
};

class ProviderRegistry {
 public:
  // Builds every provider in the registration table (provider_registry.cc).
  static absl::StatusOr<ProviderRegistry> Create(const ProviderDeps& deps);

  // Null when no provider serves `origin`.
  PasswordAuthenticator* For(storage::Origin origin) const;

 private:
  std::map<storage::Origin, PasswordAuthenticatorPtr> providers_;
};

}  // namespace identity

#endif  // IDENTITY_IDENTITY_PROVIDER_REGISTRY_H_
