// A user's TOTP second factor: its sealed seed, used steps and recovery
// codes.
#ifndef IDENTITY_STORAGE_PORTS_TOTP_H_
#define IDENTITY_STORAGE_PORTS_TOTP_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/queries.h"

namespace identity::storage {

class TotpStore {
 public:
  virtual ~TotpStore() = default;

  // Saving replaces an unconfirmed seed; FAILED_PRECONDITION when a
  // confirmed one exists.
  virtual absl::Status SaveTotp(absl::string_view user_id,
                                absl::string_view secret_box,
                                const AuditEntry& audit) = 0;
  // NOT_FOUND when the user has none.
  virtual absl::StatusOr<TotpState> GetTotp(absl::string_view user_id) = 0;
  // Confirms the seed at `step` and replaces the recovery codes.
  virtual absl::Status ConfirmTotp(absl::string_view user_id, int64_t step,
                                   const std::vector<std::string>& code_digests,
                                   const AuditEntry& audit) = 0;
  // True if `step` is later than any used before (and records it): a code
  // is never accepted twice.
  virtual absl::StatusOr<bool> UseTotpStep(absl::string_view user_id,
                                           int64_t step) = 0;
  // True if the code was unused (and now is used).
  virtual absl::StatusOr<bool> UseRecoveryCode(absl::string_view user_id,
                                               absl::string_view digest) = 0;
  virtual absl::Status DeleteTotp(absl::string_view user_id,
                                  const AuditEntry& audit) = 0;
};

}  // namespace identity::storage

#endif  // IDENTITY_STORAGE_PORTS_TOTP_H_
