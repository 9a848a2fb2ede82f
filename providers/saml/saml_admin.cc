#include "providers/saml/saml_admin.h"

#include "domain/authorizer.h"
#include "domain/operations.h"
#include "domain/validation.h"

namespace identity::saml {

absl::StatusOr<std::unique_ptr<ProviderDescription>> SamlAdmin::Describe(
    const Caller& caller, absl::string_view organization_id) const {
  // SamlProviders::View checks nobody; the caller is checked here so that
  // the answer does not depend on another type being asked first.
  absl::Status s = ValidateId("organization_id", organization_id);
  if (s.ok()) {
    s = Check(op::kGetIdentityProvider, *caller.principal,
              Target{std::string(organization_id)});
  }
  if (!s.ok()) return s;
  absl::StatusOr<SamlProviderView> view = providers_->View(organization_id);
  if (!view.ok()) return view.status();
  auto out = std::make_unique<SamlDescription>();
  out->type = std::string(name());
  out->organization_id = view->config.organization_id;
  out->version = view->config.version;
  out->view = *std::move(view);
  return out;
}

absl::StatusOr<std::vector<ProviderTestStep>> SamlAdmin::Test(
    const Caller& caller, const ProviderTestRequest& request) const {
  return providers_->Test(caller, request.organization_id);
}

}  // namespace identity::saml
