#include "identity/provider_registry.h"

#include "absl/strings/str_cat.h"
#include "identity/internal/internal_provider.h"
#include "identity/ldap/ldap_login.h"
#include "identity/saml/saml_login.h"

namespace identity {
namespace {

using Factory = absl::StatusOr<ProviderCapabilities> (*)(const ProviderDeps&);

absl::StatusOr<ProviderCapabilities> Internal(const ProviderDeps& deps) {
  ProviderCapabilities c;
  c.password = std::make_unique<InternalProvider>(deps.store, deps.hasher);
  return c;
}

absl::StatusOr<ProviderCapabilities> Ldap(const ProviderDeps& deps) {
  ProviderCapabilities c;
  c.password = std::make_unique<ldap::LdapLogin>(deps.store, deps.ldap, deps.cache);
  return c;
}

absl::StatusOr<ProviderCapabilities> Saml(const ProviderDeps& deps) {
  ProviderCapabilities c;
  c.redirect = std::make_unique<saml::SamlLogin>(deps.store, deps.saml);
  return c;
}

struct Registration {
  storage::Origin origin;
  Factory factory;
};

// The one table of providers: a new provider type is a directory of its own,
// a row here, its settings message and its migration.
constexpr Registration kProviders[] = {
    {storage::Origin::kInternal, &Internal},
    {storage::Origin::kLdap, &Ldap},
    {storage::Origin::kSaml, &Saml},
};

}  // namespace

absl::StatusOr<ProviderRegistry> ProviderRegistry::Create(
    const ProviderDeps& deps) {
  ProviderRegistry registry;
  for (const Registration& r : kProviders) {
    absl::StatusOr<ProviderCapabilities> provider = r.factory(deps);
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

PasswordProvider* ProviderRegistry::PasswordFor(storage::Origin origin) const {
  auto it = providers_.find(origin);
  return it == providers_.end() ? nullptr : it->second.password.get();
}

RedirectProvider* ProviderRegistry::RedirectFor(storage::Origin origin) const {
  auto it = providers_.find(origin);
  return it == providers_.end() ? nullptr : it->second.redirect.get();
}

std::vector<PasswordProvider*> ProviderRegistry::ProvisioningAtLogin() const {
  std::vector<PasswordProvider*> out;
  for (const Registration& r : kProviders) {
    PasswordProvider* p = PasswordFor(r.origin);
    if (p != nullptr && p->ProvisionsAtLogin()) out.push_back(p);
  }
  return out;
}

}  // namespace identity
