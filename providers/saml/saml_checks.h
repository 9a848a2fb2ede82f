// The checks of a verified SAML assertion that lasso leaves to the service
// provider: the audience, the time window, where it was sent, what it
// answers. Pure functions of the values, so each rule is unit-tested.
#ifndef IDENTITY_PROVIDERS_SAML_SAML_CHECKS_H_
#define IDENTITY_PROVIDERS_SAML_SAML_CHECKS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "providers/saml/saml_sp.h"

namespace identity::saml {

struct Expectations {
  std::string sp_entity_id;  // the audience
  std::string acs_url;       // destination and recipient
  std::string idp_entity_id;
  std::string request_id;    // the AuthnRequest answered; empty: unsolicited
  bool allow_unsolicited = false;
  absl::Duration clock_skew = absl::Seconds(60);
  std::string authn_context_class_ref;  // required when set
};

// OK, or UNAUTHENTICATED naming the rule that failed (for the audit log).
absl::Status CheckAssertion(const SamlAssertion& a, const Expectations& e,
                            absl::Time now);

}  // namespace identity::saml

#endif  // IDENTITY_PROVIDERS_SAML_SAML_CHECKS_H_
