// Identity providers as the administrator's RPCs return them: a provider's
// description (provider_admin.h) becomes an IdentityProvider message here,
// at the handler edge, through one table of per-type writers.
#ifndef IDENTITY_SERVICES_PROVIDER_VIEWS_H_
#define IDENTITY_SERVICES_PROVIDER_VIEWS_H_

#include "absl/status/status.h"
#include "application/identity_providers/provider_admin.h"
#include "identity/v1/organization_service.pb.h"
#include "providers/saml/saml_providers.h"

namespace identity::services {

// GetIdentityProvider's answer. A type without a writer in the table shows
// the fields every type has (organization, type, version).
absl::Status ToProto(const ProviderDescription& in, v1::IdentityProvider* out);

// A SAML provider as GetIdentityProvider and ConfigureSamlProvider return it
// (never the SP key).
void ToProto(const saml::SamlProviderView& view, v1::SamlConfig* out);
void ToProto(const saml::SamlProviderView& view, v1::IdentityProvider* out);

}  // namespace identity::services

#endif  // IDENTITY_SERVICES_PROVIDER_VIEWS_H_
