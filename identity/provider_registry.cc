#include "identity/provider_registry.h"

#include "absl/strings/str_cat.h"
#include "identity/internal/internal_provider.h"

namespace identity {
namespace {

using Factory = absl::StatusOr<PasswordAuthenticatorPtr> (*)(const ProviderDeps&);

struct Registration {
  storage::Origin origin;
  Factory factory;
};

// The one table of providers. LDAP and SAML register here when they land.
constexpr Registration kProviders[] = {
    {storage::Origin::kInternal, &InternalProvider::Create},
};

}  // namespace

absl::StatusOr<ProviderRegistry> ProviderRegistry::Create(
    const ProviderDeps& deps) {
  ProviderRegistry registry;
  for (const Registration& r : kProviders) {
    absl::StatusOr<PasswordAuthenticatorPtr> provider = r.factory(deps);
    if (!provider.ok()) {
      return absl::Status(provider.status().code(),
                          absl::StrCat("opening the ", OriginName(r.origin),
                                       " provider: ",
                                       provider.status().message()));
    }
    registry.providers_[r.origin] = *std::move(provider);
  }
  return registry;
}

PasswordAuthenticator* ProviderRegistry::For(storage::Origin origin) const {
  auto it = providers_.find(origin);
  return it == providers_.end() ? nullptr : it->second.get();
}

}  // namespace identity
