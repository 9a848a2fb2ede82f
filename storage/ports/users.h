// Users: who they are, their roles and whether they may log in. Credentials
// (lockout, password hashes) and externally managed users have their own
// interfaces (credentials.h, external_users.h).
#ifndef IDENTITY_STORAGE_PORTS_USERS_H_
#define IDENTITY_STORAGE_PORTS_USERS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/queries.h"
#include "storage/queries.h"

namespace identity::storage {

class UserReads {
 public:
  virtual ~UserReads() = default;

  virtual absl::StatusOr<User> GetUser(absl::string_view id) = 0;
  // Case-insensitive; NOT_FOUND when no such user, or only a pending
  // self-registration (which holds no name: nobody can log in with it).
  virtual absl::StatusOr<UserCredentials> GetCredentialsByUsername(
      absl::string_view username) = 0;
  virtual absl::StatusOr<UserCredentials> GetCredentials(
      absl::string_view user_id) = 0;
  virtual absl::StatusOr<Page<User>> ListUsers(const UserListQuery& query) = 0;
};

// The last-admin rule: a change that would leave no enabled, non-pending
// internal GLOBAL_ADMIN with a password (the way back in when a directory or
// identity provider fails) is refused with FAILED_PRECONDITION.
class UserWrites {
 public:
  virtual ~UserWrites() = default;

  // Creating a user (here, by SyncExternalUser or the bootstrap) first
  // deletes a pending self-registration of the same username, in any
  // organization, with a "registration.discard" audit event.
  virtual absl::StatusOr<User> CreateUser(const NewUser& user,
                                          const AuditEntry& audit) = 0;
  virtual absl::StatusOr<User> UpdateUserProfile(
      const UserProfileUpdate& update, const AuditEntry& audit) = 0;
  // SetUserEnabled, SetPrimaryRole and DeleteUser apply the last-admin
  // rule. Disabling ends all sessions.
  virtual absl::StatusOr<User> SetUserEnabled(absl::string_view id,
                                              bool enabled,
                                              const AuditEntry& audit) = 0;
  virtual absl::StatusOr<User> SetPrimaryRole(absl::string_view id,
                                              absl::string_view role,
                                              const AuditEntry& audit) = 0;
  // Adds or removes an add-on role; a no-op (and no audit) when unchanged.
  virtual absl::StatusOr<User> SetAddOnRole(absl::string_view user_id,
                                            absl::string_view role,
                                            bool granted,
                                            const AuditEntry& audit) = 0;
  virtual absl::Status DeleteUser(absl::string_view id,
                                  const AuditEntry& audit) = 0;
};

}  // namespace identity::storage

#endif  // IDENTITY_STORAGE_PORTS_USERS_H_
