// The SAML provider's administrator side: its settings configured from the
// API's SamlConfig, read back with warnings about certificates near their
// end, and the step-by-step test.
#ifndef IDENTITY_PROVIDERS_SAML_SAML_ADMIN_H_
#define IDENTITY_PROVIDERS_SAML_SAML_ADMIN_H_

#include "application/identity_providers/provider_admin.h"
#include "providers/saml/saml_providers.h"

namespace identity::saml {

struct SamlDescription : ProviderDescription {
  SamlProviderView view;  // the SP key stays sealed
};

class SamlAdmin final : public ProviderAdmin {
 public:
  // `providers` must outlive this.
  explicit SamlAdmin(SamlProviders* providers) : providers_(providers) {}

  absl::string_view name() const override { return "saml"; }
  absl::StatusOr<std::unique_ptr<ProviderDescription>> Describe(
      const Caller& caller, absl::string_view organization_id) const override;
  // The username and password are not used: a SAML login is a redirect.
  absl::StatusOr<std::vector<ProviderTestStep>> Test(
      const Caller& caller, const ProviderTestRequest& request) const override;
  absl::string_view settings_message() const override;
  absl::StatusOr<std::unique_ptr<ProviderDescription>> Configure(
      const Caller& caller, absl::string_view organization_id,
      const google::protobuf::Message& settings) const override;
  absl::Status Write(const ProviderDescription& description,
                     google::protobuf::Message* out) const override;

 private:
  SamlProviders* providers_;
};

}  // namespace identity::saml

#endif  // IDENTITY_PROVIDERS_SAML_SAML_ADMIN_H_
