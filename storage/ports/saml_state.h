// What a SAML login remembers between its two halves: the requests sent to
// an IdP, and the assertion IDs seen (so none is accepted twice).
#ifndef IDENTITY_STORAGE_PORTS_SAML_STATE_H_
#define IDENTITY_STORAGE_PORTS_SAML_STATE_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "storage/queries.h"

namespace identity::storage {

class SamlState {
 public:
  virtual ~SamlState() = default;

  virtual absl::Status CreateSamlRequest(const SamlRequest& request) = 0;
  // The unexpired, unused request with this relay state digest, marked used
  // in the same step (NOT_FOUND otherwise: unknown, expired or used).
  virtual absl::StatusOr<SamlRequest> ConsumeSamlRequest(
      absl::string_view relay_state_digest) = 0;
  // ALREADY_EXISTS when the organization has seen this assertion ID.
  virtual absl::Status RecordSamlAssertion(absl::string_view organization_id,
                                           absl::string_view assertion_id,
                                           absl::Time expires_at) = 0;
};

}  // namespace identity::storage

#endif  // IDENTITY_STORAGE_PORTS_SAML_STATE_H_
