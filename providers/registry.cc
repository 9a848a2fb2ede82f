#include "providers/registry.h"

#include "absl/strings/str_cat.h"
#include "providers/internal/internal_provider.h"
#include "providers/ldap/ldap_admin.h"
#include "providers/ldap/ldap_listing.h"
#include "providers/ldap/ldap_login.h"
#include "providers/saml/saml_admin.h"
#include "providers/saml/saml_login.h"

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
  c.directory = std::make_unique<ldap::LdapListing>(deps.store, deps.ldap);
  c.admin = std::make_unique<ldap::LdapAdmin>(deps.ldap);
  return c;
}

absl::StatusOr<ProviderCapabilities> Saml(const ProviderDeps& deps) {
  ProviderCapabilities c;
  c.redirect = std::make_unique<saml::SamlLogin>(deps.store, deps.saml);
  c.admin = std::make_unique<saml::SamlAdmin>(deps.saml);
  return c;
}

struct Registration {
  domain::Origin origin;
  Factory factory;
};

// The one table of providers: a new provider type is a directory of its own,
// a row here, its settings message and its migration.
constexpr Registration kProviders[] = {
    {domain::Origin::kInternal, &Internal},
    {domain::Origin::kLdap, &Ldap},
    {domain::Origin::kSaml, &Saml},
};

}  // namespace

absl::StatusOr<ProviderRegistry> BuildProviders(const ProviderDeps& deps) {
  ProviderRegistry registry;
  for (const Registration& r : kProviders) {
    absl::StatusOr<ProviderCapabilities> provider = r.factory(deps);
    if (!provider.ok()) {
      return absl::Status(provider.status().code(),
                          absl::StrCat("opening the ", domain::OriginName(r.origin),
                                       " provider: ", provider.status().message()));
    }
    registry.Add(r.origin, *std::move(provider));
  }
  return registry;
}

}  // namespace identity
