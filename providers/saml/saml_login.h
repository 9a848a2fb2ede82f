// The SAML redirect provider: the redirect to an organization's IdP, and its
// verified answer turned into the identity it vouches for (linked later by
// the NameID only, or by the username attribute for transient NameIDs).
#ifndef IDENTITY_PROVIDERS_SAML_SAML_LOGIN_H_
#define IDENTITY_PROVIDERS_SAML_SAML_LOGIN_H_

#include <string>

#include "absl/status/statusor.h"
#include "providers/saml/saml_providers.h"
#include "application/identity_providers/identity_provider.h"
#include "storage/store.h"

namespace identity::saml {

class SamlLogin : public RedirectProvider {
 public:
  SamlLogin(storage::Store* store, const SamlProviders* providers)
      : store_(store), providers_(providers) {}

  absl::string_view name() const override { return "saml"; }
  // NOT_FOUND for an unknown organization or one without a SAML provider.
  absl::StatusOr<RedirectStart> Begin(absl::string_view organization,
                                      absl::string_view return_url) override;
  // Refused (with the reason for the audit log) for anything but a valid
  // answer to a request this service made (or, when the organization allows
  // it, an IdP-initiated one with the organization as relay state).
  absl::StatusOr<RedirectVerdict> Complete(
      const std::string& saml_response, const std::string& relay_state) override;

 private:
  // The identity a verified assertion vouches for, or the refusal.
  RedirectVerdict IdentityOf(const SamlProviderConfig& config,
                             const SamlAssertion& assertion);

  storage::Store* store_;
  const SamlProviders* providers_;
};

}  // namespace identity::saml

#endif  // IDENTITY_PROVIDERS_SAML_SAML_LOGIN_H_
