// Creates the bootstrap internal GLOBAL_ADMIN on a start that finds none: the
// way back in when a directory or IdP is down or misconfigured.
#ifndef IDENTITY_APPLICATION_USERS_BOOTSTRAP_H_
#define IDENTITY_APPLICATION_USERS_BOOTSTRAP_H_

#include <string>

#include "absl/status/statusor.h"
#include "application/users/password_hasher.h"
#include "domain/password_policy.h"
#include "storage/store.h"

namespace identity {

struct BootstrapOptions {
  std::string username;  // empty: do not bootstrap
  std::string password;
  std::string organization = "system";
};

// Returns true if this call created the admin. FAILED_PRECONDITION when no
// global admin exists and no credentials were configured.
absl::StatusOr<bool> EnsureBootstrapAdmin(storage::Store& store,
                                          PasswordHasher& hasher,
                                          const PasswordPolicy& policy,
                                          const BootstrapOptions& options);

}  // namespace identity

#endif  // IDENTITY_APPLICATION_USERS_BOOTSTRAP_H_
