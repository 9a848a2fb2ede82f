// Users an identity provider manages (LDAP, SAML): found by the provider's
// stable id, created or refreshed from its view, and disabled or enabled as
// its doing.
#ifndef IDENTITY_STORAGE_PORTS_EXTERNAL_USERS_H_
#define IDENTITY_STORAGE_PORTS_EXTERNAL_USERS_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/queries.h"
#include "storage/queries.h"

namespace identity::storage {

class ExternalUsers {
 public:
  virtual ~ExternalUsers() = default;

  // The user of `origin` in the organization with this external id.
  virtual absl::StatusOr<UserCredentials> GetCredentialsByExternalId(
      absl::string_view organization_id, Origin origin,
      absl::string_view external_id) = 0;
  // Creates the user (`existing_id` empty) or replaces its profile and roles
  // (the last-admin rule applies to demotions).
  virtual absl::StatusOr<User> SyncExternalUser(absl::string_view existing_id,
                                                const ExternalUser& user,
                                                const AuditEntry& audit) = 0;
  // A provider's word on a user's state: disables it (as the provider's
  // doing, ending its sessions) or enables it again only if the provider
  // had disabled it. A no-op without audit when nothing changes; an
  // administrator's disable is never undone. SyncExternalUser applies
  // `user.enabled` the same way. Both apply the last-admin rule (users.h)
  // should `id` be an internal GLOBAL_ADMIN.
  virtual absl::StatusOr<User> SetUserEnabledByProvider(
      absl::string_view id, bool enabled, const AuditEntry& audit) = 0;
};

}  // namespace identity::storage

#endif  // IDENTITY_STORAGE_PORTS_EXTERNAL_USERS_H_
