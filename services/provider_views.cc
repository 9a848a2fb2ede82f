#include "services/provider_views.h"

namespace identity::services {

absl::Status ToProto(const ProviderRegistry& providers,
                     const ProviderDescription& in, v1::IdentityProvider* out) {
  out->set_organization_id(in.organization_id);
  out->set_type(in.type);
  out->set_version(in.version);
  return WriteProvider(providers, in, out);
}

}  // namespace identity::services
