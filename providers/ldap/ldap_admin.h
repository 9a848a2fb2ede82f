// The LDAP provider's administrator side: its settings configured from the
// API's LdapConfig, read back with this replica's pool and fence figures,
// and the step-by-step test.
#ifndef IDENTITY_PROVIDERS_LDAP_LDAP_ADMIN_H_
#define IDENTITY_PROVIDERS_LDAP_LDAP_ADMIN_H_

#include <optional>

#include "application/identity_providers/provider_admin.h"
#include "providers/ldap/ldap_providers.h"

namespace identity::ldap {

struct LdapDescription : ProviderDescription {
  domain::LdapProviderConfig config;  // the bind password stays sealed
  // This replica's figures; absent before the provider's first use here.
  std::optional<PoolFigures> pool;
  std::optional<FenceFigures> fence;
};

class LdapAdmin final : public ProviderAdmin {
 public:
  // `providers` must outlive this.
  explicit LdapAdmin(LdapProviders* providers) : providers_(providers) {}

  absl::string_view name() const override { return "ldap"; }
  absl::StatusOr<std::unique_ptr<ProviderDescription>> Describe(
      const Caller& caller, absl::string_view organization_id) const override;
  absl::StatusOr<std::vector<ProviderTestStep>> Test(
      const Caller& caller, const ProviderTestRequest& request) const override;
  absl::string_view settings_message() const override;
  absl::StatusOr<std::unique_ptr<ProviderDescription>> Configure(
      const Caller& caller, absl::string_view organization_id,
      const google::protobuf::Message& settings) const override;
  absl::Status Write(const ProviderDescription& description,
                     google::protobuf::Message* out) const override;

 private:
  LdapProviders* providers_;
};

}  // namespace identity::ldap

#endif  // IDENTITY_PROVIDERS_LDAP_LDAP_ADMIN_H_
