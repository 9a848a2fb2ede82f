// SAML single sign-on for an organization: the redirect to its IdP, the
// verified answer turned into a session (the user provisioned just in time
// and refreshed, linked by the IdP's NameID only), and the SP metadata.
#ifndef IDENTITY_IDENTITY_SAML_SAML_LOGIN_H_
#define IDENTITY_IDENTITY_SAML_SAML_LOGIN_H_

#include <string>

#include "absl/status/statusor.h"
#include "identity/saml/saml_providers.h"
#include "identity/session_manager.h"
#include "storage/store.h"

namespace identity::saml {

struct SamlRedirect {
  std::string redirect_url;
  std::string relay_state;
};

class SamlLogin {
 public:
  SamlLogin(storage::Store* store, const SamlProviders* providers,
            SessionManager* sessions)
      : store_(store), providers_(providers), sessions_(sessions) {}

  // NOT_FOUND for an unknown organization or one without a SAML provider.
  absl::StatusOr<SamlRedirect> Begin(absl::string_view organization,
                                     absl::string_view return_url);
  // UNAUTHENTICATED "saml login refused" for anything but a valid answer to
  // a request this service made (or, when the organization allows it, an
  // IdP-initiated one with the organization as relay state); the reason is
  // in the audit log.
  absl::StatusOr<LoginResult> Complete(const Caller& caller,
                                       const std::string& saml_response,
                                       const std::string& relay_state);
  absl::StatusOr<std::string> Metadata(absl::string_view organization);

 private:
  absl::StatusOr<storage::SamlProviderConfig> ProviderOf(
      absl::string_view organization);
  // The local user for a verified assertion, provisioned or refreshed.
  absl::StatusOr<storage::UserCredentials> UserFor(
      const Caller& caller, const storage::SamlProviderConfig& config,
      const SamlAssertion& assertion);

  storage::Store* store_;
  const SamlProviders* providers_;
  SessionManager* sessions_;
};

}  // namespace identity::saml

#endif  // IDENTITY_IDENTITY_SAML_SAML_LOGIN_H_
