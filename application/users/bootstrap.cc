#include "application/users/bootstrap.h"

#include "absl/strings/str_cat.h"
#include "domain/audit.h"
#include "domain/roles.h"
#include "domain/validation.h"

namespace identity {

absl::StatusOr<bool> EnsureBootstrapAdmin(storage::Store& store,
                                          PasswordHasher& hasher,
                                          const PasswordPolicy& policy,
                                          const BootstrapOptions& options) {
  if (options.username.empty()) return false;
  for (absl::Status s :
       {ValidateUsername(options.username),
        ValidateOrganizationName(options.organization),
        CheckPassword(policy, "IDENTITY_BOOTSTRAP_ADMIN_PASSWORD",
                      options.password, options.username, "")}) {
    if (!s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("bootstrap admin: ", s.message()));
    }
  }
  // Hashing before the lock keeps the critical section short; a replica that
  // loses the race has hashed for nothing, once.
  absl::StatusOr<std::string> hash = hasher.Hash(options.password);
  if (!hash.ok()) return hash.status();
  storage::NewUser admin;
  admin.username = options.username;
  admin.email = ValidateEmail(options.username, true).ok() ? options.username
                                                           : std::string();
  admin.display_name = "Bootstrap administrator";
  admin.origin = domain::Origin::kInternal;
  admin.primary_role = std::string(kGlobalAdmin);
  admin.password_hash = *hash;
  Caller system{nullptr, "startup"};
  return store.EnsureBootstrapAdmin(
      admin, options.organization,
      MakeAudit(system, "user.bootstrap", "user", "", "",
                {{"username", options.username}}));
}

}  // namespace identity
