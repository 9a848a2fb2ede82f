// The SAML 2.0 service provider, on lasso: SP metadata, signed AuthnRequests
// (HTTP-Redirect binding) and verified Responses (HTTP-POST binding). What a
// verified response says is handed over as plain values, read only from the
// one assertion the verified signature covers; the protocol checks lasso
// leaves to its caller (audience, time window, destination, InResponseTo,
// replay) are saml_checks.h's.
#ifndef IDENTITY_PROVIDERS_SAML_SAML_SP_H_
#define IDENTITY_PROVIDERS_SAML_SAML_SP_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace identity::saml {

// The NameID formats a provider may ask for.
inline constexpr char kNameIdPersistent[] =
    "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";
inline constexpr char kNameIdEmail[] =
    "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
inline constexpr char kNameIdUnspecified[] =
    "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";
inline constexpr char kNameIdTransient[] =
    "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";

struct SpSettings {
  std::string sp_entity_id;
  std::string acs_url;
  std::string name_id_format;
  std::string sp_private_key_pem;
  std::string sp_certificate_pem;
  std::string sp_next_certificate_pem;  // optional, published for rollover
  std::string idp_metadata_xml;
  std::string idp_entity_id;  // as read from idp_metadata_xml when stored
  bool allow_sha1_signatures = false;  // older AD FS trusts sign with SHA-1
  bool force_authn = false;
  std::string authn_context_class_ref;  // requested (exact) when set
  bool require_encrypted_assertions = false;  // plain assertions refused
};

// The SP metadata an IdP administrator uploads.
std::string SpMetadata(const SpSettings& sp);

struct IdpInfo {
  std::string entity_id;
  std::string sso_url;
  std::vector<std::string> signing_certificates_pem;
};
// INVALID_ARGUMENT when the metadata is not an IdP's SAML 2.0 metadata with
// a signing certificate and an HTTP-Redirect SingleSignOnService.
absl::StatusOr<IdpInfo> ReadIdpMetadata(const std::string& xml);

struct AuthnRedirect {
  std::string url;  // the IdP's SSO URL with the signed request
  std::string request_id;
};
absl::StatusOr<AuthnRedirect> BuildAuthnRequest(const SpSettings& sp,
                                                const std::string& relay_state);

struct SamlAssertion {
  std::string issuer;
  std::string response_destination;
  std::string in_response_to;  // of the Response
  std::string assertion_id;
  std::string name_id;
  std::string name_id_format;
  bool has_conditions = false;
  std::optional<absl::Time> not_before;
  std::optional<absl::Time> not_on_or_after;
  // One list of audiences per AudienceRestriction: each must be met.
  std::vector<std::vector<std::string>> audience_restrictions;
  std::string recipient;  // of the bearer SubjectConfirmationData
  std::string subject_in_response_to;
  std::optional<absl::Time> subject_not_on_or_after;
  std::map<std::string, std::vector<std::string>> attributes;  // by Name
  std::map<std::string, std::vector<std::string>> attributes_by_friendly_name;
  std::vector<std::string> authn_context_class_refs;  // of the AuthnStatements
};

// Decodes a base64 SAMLResponse, refuses what lasso should never see (a
// DTD, several assertions, more than 1 MiB, a signature placed or
// referenced anywhere but on the Response or its one Assertion), decrypts
// an EncryptedAssertion with the SP's key (after verifying a Response
// signature, which covers the ciphertext) and refuses a plain one when
// `require_encrypted_assertions`,
// verifies every signature present against the IdP metadata's keys (the
// Assertion signed, the Response signed, or both: what real IdPs send),
// has lasso check the same, and reads the values from the Assertion the
// signatures cover. UNAUTHENTICATED with the reason (for the audit log) on
// any failure.
absl::StatusOr<SamlAssertion> ReadResponse(const SpSettings& sp,
                                           const std::string& saml_response);

}  // namespace identity::saml

#endif  // IDENTITY_PROVIDERS_SAML_SAML_SP_H_
