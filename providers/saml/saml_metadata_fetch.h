// Fetching an IdP's metadata document from its HTTPS URL with libcurl, within
// limits a hostile or broken server cannot stretch: HTTPS only (redirects
// too), certificate and host name always verified, a few redirects, bounded
// time and size, and a few fetches at once per process.
#ifndef IDENTITY_IDENTITY_SAML_SAML_METADATA_FETCH_H_
#define IDENTITY_IDENTITY_SAML_SAML_METADATA_FETCH_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace identity::saml {

struct MetadataFetchOptions {
  absl::Duration connect_timeout = absl::Seconds(5);
  absl::Duration total_timeout = absl::Seconds(15);
  size_t max_bytes = 1 << 20;  // federation metadata of one IdP is ~10-100 KiB
  long max_redirects = 3;
  // Fetches in flight in this process (configures and refreshes together).
  int max_concurrent = 4;
};

// INVALID_ARGUMENT (saying what to fix) unless `url` is an https:// URL
// without user info, whitespace or control characters, of at most 2048 bytes.
absl::Status CheckMetadataUrl(const std::string& url);

// The body of `url`, verified against `ca_pem` (a PEM bundle; empty: the
// system store). UNAVAILABLE when the server cannot be reached in time or
// too many fetches run already; FAILED_PRECONDITION for a TLS failure, an
// HTTP status other than 200, a redirect to a non-HTTPS URL or too many of
// them, or a body over max_bytes. Messages carry a short reason, never the
// body.
absl::StatusOr<std::string> FetchMetadata(const std::string& url,
                                          const std::string& ca_pem,
                                          const MetadataFetchOptions& options);

}  // namespace identity::saml

#endif  // IDENTITY_IDENTITY_SAML_SAML_METADATA_FETCH_H_
