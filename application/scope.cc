#include "application/scope.h"

#include "common/uuid.h"

#include "domain/validation.h"

namespace identity {

absl::StatusOr<domain::User> CallerOrUser(storage::Store& store,
                                           const Principal& caller,
                                           absl::string_view user_id) {
  if (user_id.empty() || user_id == caller.user.id) return caller.user;
  absl::Status valid = ValidateId("user_id", user_id);
  if (!valid.ok()) return valid;
  return store.GetUser(user_id);
}

absl::StatusOr<std::optional<std::string>> ListScope(
    const Principal& caller, absl::string_view requested_organization_id) {
  if (!requested_organization_id.empty()) {
    absl::Status valid =
        ValidateId("organization_id", requested_organization_id);
    if (!valid.ok()) return valid;
    return std::optional<std::string>(std::string(requested_organization_id));
  }
  if (caller.global) return std::optional<std::string>();
  return std::optional<std::string>(caller.user.organization_id);
}

absl::StatusOr<domain::Organization> OrganizationByIdOrName(
    storage::Store& store, absl::string_view id_or_name) {
  return IsUuid(id_or_name) ? store.GetOrganization(id_or_name)
                            : store.FindOrganizationByName(id_or_name);
}

}  // namespace identity
