// Identity providers as the administrator's RPCs return them: the fields
// every type has, here, and the type's own part written by its registered
// administrator side (provider_admin.h), so no handler names a type.
#ifndef IDENTITY_SERVICES_PROVIDER_VIEWS_H_
#define IDENTITY_SERVICES_PROVIDER_VIEWS_H_

#include "absl/status/status.h"
#include "application/identity_providers/provider_admin.h"
#include "application/identity_providers/provider_registry.h"
#include "identity/v1/organization_service.pb.h"

namespace identity::services {

// The answer of GetIdentityProvider and of the Configure RPCs. A type not
// in `providers` shows the fields every type has (organization, type,
// version).
absl::Status ToProto(const ProviderRegistry& providers,
                     const ProviderDescription& in, v1::IdentityProvider* out);

}  // namespace identity::services

#endif  // IDENTITY_SERVICES_PROVIDER_VIEWS_H_
