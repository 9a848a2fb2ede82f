// One step of TestIdentityProvider, for the administrator; never a secret.
#ifndef IDENTITY_APPLICATION_IDENTITY_PROVIDERS_PROVIDER_TEST_STEP_H_
#define IDENTITY_APPLICATION_IDENTITY_PROVIDERS_PROVIDER_TEST_STEP_H_

#include <string>

namespace identity {

struct ProviderTestStep {
  std::string name;  // LDAP: connect_and_bind, search_user, bind_user;
                     // SAML: idp_metadata, sp_key, authn_request, certificates
  bool ok = false;
  std::string message;
};

}  // namespace identity

#endif  // IDENTITY_APPLICATION_IDENTITY_PROVIDERS_PROVIDER_TEST_STEP_H_
