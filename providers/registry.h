// The one table of identity providers (registry.cc): what each provider
// type's factory may use, and the registry built from the table.
#ifndef IDENTITY_PROVIDERS_REGISTRY_H_
#define IDENTITY_PROVIDERS_REGISTRY_H_

#include "absl/status/statusor.h"
#include "application/identity_providers/provider_registry.h"
#include "application/sessions/credential_cache.h"
#include "application/users/password_hasher.h"
#include "providers/ldap/ldap_providers.h"
#include "providers/saml/saml_providers.h"
#include "storage/store.h"

namespace identity {

// What a provider factory may use. Pointers outlive the registry; the
// per-type settings objects (settings, pools, keys) are built before it
// because the Configure handlers, the sync and the metrics use them too.
struct ProviderDeps {
  storage::Store* store;
  PasswordHasher* hasher;
  CredentialCache* cache;  // may be null
  ldap::LdapProviders* ldap;
  saml::SamlProviders* saml;
};

// Builds every provider in the registration table.
absl::StatusOr<ProviderRegistry> BuildProviders(const ProviderDeps& deps);

}  // namespace identity

#endif  // IDENTITY_PROVIDERS_REGISTRY_H_
