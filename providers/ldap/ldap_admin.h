// The LDAP provider's administrator side: its settings read back with this
// replica's pool and fence figures, and the step-by-step test.
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
  explicit LdapAdmin(const LdapProviders* providers) : providers_(providers) {}

  absl::string_view name() const override { return "ldap"; }
  absl::StatusOr<std::unique_ptr<ProviderDescription>> Describe(
      const Caller& caller, absl::string_view organization_id) const override;
  absl::StatusOr<std::vector<ProviderTestStep>> Test(
      const Caller& caller, const ProviderTestRequest& request) const override;

 private:
  const LdapProviders* providers_;
};

}  // namespace identity::ldap

#endif  // IDENTITY_PROVIDERS_LDAP_LDAP_ADMIN_H_
