// Which provider serves the users of each origin, and with which
// capabilities. The one registration table is in provider_registry.cc.
#ifndef IDENTITY_IDENTITY_PROVIDER_REGISTRY_H_
#define IDENTITY_IDENTITY_PROVIDER_REGISTRY_H_

#include <map>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "identity/credential_cache.h"
#include "identity/identity_provider.h"
#include "identity/password_hasher.h"
#include "storage/store.h"

namespace identity {

namespace ldap {
class LdapProviders;
}
namespace saml {
class SamlProviders;
}

// What a provider factory may use. Pointers outlive the registry; the
// per-type administration objects (settings, pools, keys) are built before
// the registry because the handlers and the metrics use them too.
struct ProviderDeps {
  storage::Store* store;
  PasswordHasher* hasher;
  CredentialCache* cache;  // may be null
  const ldap::LdapProviders* ldap;
  const saml::SamlProviders* saml;
};

// What one provider type can do; a capability it lacks is null.
struct ProviderCapabilities {
  std::unique_ptr<PasswordProvider> password;
  std::unique_ptr<RedirectProvider> redirect;
};

class ProviderRegistry {
 public:
  // Builds every provider in the registration table.
  static absl::StatusOr<ProviderRegistry> Create(const ProviderDeps& deps);

  // Null when no provider of `origin` checks passwords.
  PasswordProvider* PasswordFor(storage::Origin origin) const;
  // Null when no provider of `origin` logs in by redirect.
  RedirectProvider* RedirectFor(storage::Origin origin) const;
  // The password providers that may vouch for names not known here yet, in
  // the table's order.
  std::vector<PasswordProvider*> ProvisioningAtLogin() const;

 private:
  std::map<storage::Origin, ProviderCapabilities> providers_;
};

}  // namespace identity

#endif  // IDENTITY_IDENTITY_PROVIDER_REGISTRY_H_
