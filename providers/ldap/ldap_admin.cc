#include "providers/ldap/ldap_admin.h"

namespace identity::ldap {

absl::StatusOr<std::unique_ptr<ProviderDescription>> LdapAdmin::Describe(
    const Caller& caller, absl::string_view organization_id) const {
  absl::StatusOr<domain::LdapProviderConfig> config =
      providers_->Get(caller, organization_id);
  if (!config.ok()) return config.status();
  auto out = std::make_unique<LdapDescription>();
  out->type = std::string(name());
  out->organization_id = config->organization_id;
  out->version = config->version;
  out->config = *std::move(config);
  out->pool = providers_->Figures(out->organization_id);
  if (providers_->fences() != nullptr) {
    out->fence = providers_->fences()->Figures(out->organization_id);
  }
  return out;
}

absl::StatusOr<std::vector<ProviderTestStep>> LdapAdmin::Test(
    const Caller& caller, const ProviderTestRequest& request) const {
  return providers_->Test(caller, request.organization_id, request.username,
                          request.password);
}

}  // namespace identity::ldap
