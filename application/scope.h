// Resolving what an operation is about, the same way everywhere: the user it
// targets and the organization a list is restricted to.
#ifndef IDENTITY_APPLICATION_SCOPE_H_
#define IDENTITY_APPLICATION_SCOPE_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "domain/principal.h"
#include "storage/store.h"

namespace identity {

// The caller's own user for an empty `user_id` (or its own id), else the
// named one (INVALID_ARGUMENT for a malformed id, NOT_FOUND if missing).
absl::StatusOr<domain::User> CallerOrUser(storage::Store& store,
                                           const Principal& caller,
                                           absl::string_view user_id);

// The organization a list is restricted to: the requested one (validated),
// else the caller's own, or none (all) for a global caller.
absl::StatusOr<std::optional<std::string>> ListScope(
    const Principal& caller, absl::string_view requested_organization_id);

// The organization named by its id or, failing the id's form, its name
// (as callers name it in Authenticate, BeginSamlLogin, GetSamlMetadata).
absl::StatusOr<domain::Organization> OrganizationByIdOrName(
    storage::Store& store, absl::string_view id_or_name);

}  // namespace identity

#endif  // IDENTITY_APPLICATION_SCOPE_H_
