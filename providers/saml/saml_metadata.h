// IdP metadata taken from the IdP's HTTPS URL: fetched (within the limits of
// saml_metadata_fetch.h), its signature checked when the provider names the
// certificate that must have signed it, and read like pasted metadata.
#ifndef IDENTITY_IDENTITY_SAML_SAML_METADATA_H_
#define IDENTITY_IDENTITY_SAML_SAML_METADATA_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/records.h"
#include "providers/saml/saml_metadata_fetch.h"
#include "providers/saml/saml_settings.h"
#include "providers/saml/saml_sp.h"

namespace identity::saml {

// With `certificate_pem` empty: OK whatever the document carries (TLS to
// the IdP's own URL is the trust). Otherwise the root EntityDescriptor must
// carry an enveloped signature referencing its own ID that verifies with
// that certificate: an unsigned document is refused as a wrongly signed one
// is (a stripped signature must not downgrade the check).
// FAILED_PRECONDITION with the reason otherwise.
absl::Status CheckMetadataSignature(const std::string& xml,
                                    const std::string& certificate_pem,
                                    bool allow_sha1);

// INVALID_ARGUMENT (saying what to fix) for metadata-source settings that
// cannot work: neither idp_metadata_xml nor idp_metadata_url, a URL that is
// not https://, a CA bundle or signing certificate that is not PEM, or
// either of those without a URL.
absl::Status ValidateMetadataSource(const SamlProviderConfig& c);

struct FetchedMetadata {
  std::string xml;
  IdpInfo idp;
};

// The provider's idp_metadata_url fetched and checked: a document that does
// not parse as IdP metadata, or whose signature is refused, is
// FAILED_PRECONDITION; fetch errors as FetchMetadata gives them. Every
// message starts with "idp_metadata_url: ".
absl::StatusOr<FetchedMetadata> LoadMetadataFromUrl(
    const SamlProviderConfig& c, const MetadataFetchOptions& options);

// The signing certificates of `after` that `before` lacks, and those it
// dropped (for the audit event of a refresh).
struct CertificateChange {
  int added = 0;
  int removed = 0;
  bool any() const { return added + removed > 0; }
};
CertificateChange CompareCertificates(const std::vector<std::string>& before,
                                      const std::vector<std::string>& after);

}  // namespace identity::saml

#endif  // IDENTITY_IDENTITY_SAML_SAML_METADATA_H_
