// A user's credentials: failed-login counting and locks, password hashes
// and their history.
#ifndef IDENTITY_STORAGE_PORTS_CREDENTIALS_H_
#define IDENTITY_STORAGE_PORTS_CREDENTIALS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/queries.h"

namespace identity::storage {

class Credentials {
 public:
  virtual ~Credentials() = default;

  // Counts a failed login against `policy` and writes `failure`; when the
  // count reaches the threshold, locks the account and writes `lock` too.
  // Returns true if this call locked it.
  virtual absl::StatusOr<bool> RecordLoginFailure(
      absl::string_view user_id, const LockoutPolicySettings& policy,
      const AuditEntry& failure, const AuditEntry& lock) = 0;
  // Clears the lock and the failed-login count.
  virtual absl::StatusOr<User> UnlockUser(absl::string_view id,
                                          const AuditEntry& audit) = 0;
  // Stores a new hash (the old one goes to the history) and ends the user's
  // sessions except `keep_session_id`.
  virtual absl::Status SetPasswordHash(absl::string_view user_id,
                                       absl::string_view hash,
                                       absl::string_view keep_session_id,
                                       const AuditEntry& audit) = 0;
  // The user's previous password hashes, newest first (at most 24 kept).
  virtual absl::StatusOr<std::vector<std::string>> GetPasswordHistory(
      absl::string_view user_id, int limit) = 0;
  // Replaces a hash after a parameter upgrade; not an audited change of state.
  virtual absl::Status RehashPassword(absl::string_view user_id,
                                      absl::string_view old_hash,
                                      absl::string_view new_hash) = 0;
};

}  // namespace identity::storage

#endif  // IDENTITY_STORAGE_PORTS_CREDENTIALS_H_
